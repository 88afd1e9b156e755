import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { run } from "../../src/facade.js"
import { operationsWithoutCredentials, resolveCredentials } from "../../src/pipeline/credentials.js"
import type { RunConfig } from "../../src/pipeline/RunConfig.js"
import { RunError } from "../../src/pipeline/RunError.js"
import type { ApiSpec, Operation } from "../../src/spec/model.js"

const document = {
  openapi: "3.0.3",
  info: { title: "secured", version: "1" },
  components: {
    securitySchemes: {
      adminKey: { type: "apiKey", in: "header", name: "X-Admin-Key" },
      bearerAuth: { type: "http", scheme: "bearer" }
    }
  },
  paths: {
    "/items": {
      get: {
        operationId: "listItems",
        security: [{ bearerAuth: [] }],
        responses: { "200": { description: "ok" }, "401": { description: "no" } }
      }
    },
    "/admin": {
      get: {
        operationId: "admin",
        security: [{ adminKey: [] }],
        responses: { "200": { description: "ok" }, "401": { description: "no" } }
      }
    }
  }
}

const securedSpec = {
  securitySchemes: {
    adminKey: { type: "apiKey", name: "adminKey", in: "header", parameterName: "X-Admin-Key" },
    bearerAuth: { type: "http", name: "bearerAuth", scheme: "bearer" }
  }
} as unknown as ApiSpec

const operation = (id: string, scheme: string) =>
  ({ id, security: [[{ scheme, scopes: [] }]] }) as unknown as Operation

/**
 * Starts a JSON server on 127.0.0.1 for the tests of the enclosing `describe` and stops it after them.
 * `status` picks each response's status from the request.
 */
const useServer = (status: (request: IncomingMessage) => number) => {
  const target = { baseUrl: "" }
  let server: Server | undefined
  beforeAll(async () => {
    const started = createServer((request, response) => {
      request.resume()
      response.writeHead(status(request), { "content-type": "application/json" }).end("{}")
    })
    server = started
    await new Promise<void>((resolve) => started.listen(0, "127.0.0.1", resolve))
    target.baseUrl = `http://127.0.0.1:${(started.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve))
  })
  return target
}

describe("resolveCredentials", () => {
  it("matches scheme names ignoring case", () => {
    const resolved = resolveCredentials(securedSpec, { apiKeys: { ADMINKEY: Redacted.make("k") } })
    expect(resolved).not.toBeInstanceOf(RunError)
    expect(Object.keys((resolved as { apiKeys: object }).apiKeys)).toEqual(["adminKey"])
  })

  it("rejects an unknown scheme", () => {
    const resolved = resolveCredentials(securedSpec, { apiKeys: { wrong: Redacted.make("k") } })
    expect(resolved).toBeInstanceOf(RunError)
    expect((resolved as RunError).message).toContain('"wrong"')
    expect((resolved as RunError).message).toContain("adminKey, bearerAuth")
  })
})

describe("operationsWithoutCredentials", () => {
  it("lists secured operations left uncovered", () => {
    const operations = [operation("admin", "adminKey"), operation("listItems", "bearerAuth")]
    const uncovered = operationsWithoutCredentials(securedSpec, operations, { bearer: Redacted.make("t") })
    expect(uncovered.map((item) => item.operation.id)).toEqual(["admin"])
    expect(uncovered[0]?.schemes).toEqual(["adminKey"])
  })

  it("counts an apiKey header as covering", () => {
    const operations = [operation("admin", "adminKey")]
    expect(
      operationsWithoutCredentials(securedSpec, operations, { headers: { "x-admin-key": "k" } })
    ).toEqual([])
  })
})

describe("a target that refuses every credential", () => {
  const target = useServer(() => 401)

  it("ends the run as errored", async () => {
    const report = await run({
      spec: { document },
      baseUrl: target.baseUrl,
      seed: 1,
      credentials: { bearer: Redacted.make("wrong-token"), apiKeys: { adminkey: Redacted.make("wrong-key") } }
    })
    expect(report.run.status).toBe("errored")
    expect(report.run.reason).toContain("401 or 403")
    expect(report.notes).toContain(
      "warning: every request to listItems meant to carry credentials was refused with 401 or 403"
    )
  })

  it("warns about operations without credentials", async () => {
    const report = await run({
      spec: { document },
      baseUrl: target.baseUrl,
      seed: 1,
      credentials: { bearer: Redacted.make("t") }
    })
    expect(report.notes).toContain(
      "warning: admin needs credentials for adminKey, and none were given; its requests go without them"
    )
  })

  it("rejects an unknown scheme name", async () => {
    const failure = await run({
      spec: { document },
      baseUrl: target.baseUrl,
      credentials: { apiKeys: { nope: Redacted.make("k") } }
    }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(RunError)
    expect((failure as RunError).reason).toBe("InvalidConfig")
  })
})

describe("a wrong token on a spec with public operations", () => {
  const mixed = {
    openapi: "3.0.3",
    info: { title: "mixed", version: "1" },
    components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
    paths: {
      "/health": {
        get: { operationId: "health", responses: { "200": { description: "ok" } } }
      },
      "/items": {
        get: {
          operationId: "listItems",
          security: [{ bearerAuth: [] }],
          responses: { "200": { description: "ok" }, "401": { description: "no" } }
        }
      }
    }
  }
  // The public operation responds to anyone, and the secured one accepts only "right-token".
  const target = useServer((request) =>
    request.url === "/health" || request.headers.authorization === "Bearer right-token" ? 200 : 401
  )

  it("ends the run as errored", async () => {
    const report = await run({
      spec: { document: mixed },
      baseUrl: target.baseUrl,
      seed: 1,
      credentials: { bearer: "wrong-token" }
    })
    expect(report.run.status).toBe("errored")
    expect(report.run.reason).toContain("every request sent with credentials was refused")
  })

  it("passes with the right token", async () => {
    const report = await run({
      spec: { document: mixed },
      baseUrl: target.baseUrl,
      seed: 1,
      credentials: { bearer: "right-token" }
    })
    expect(report.run.status).not.toBe("errored")
  })
})

describe("a spec without operations", () => {
  it("names the in-memory spec", async () => {
    const document = { openapi: "3.0.3", info: { title: "empty", version: "1" }, paths: {} }
    const failure = await run({ spec: { document }, baseUrl: "http://127.0.0.1:9" }).catch(
      (error: unknown) => error
    )
    expect(failure).toBeInstanceOf(RunError)
    expect((failure as RunError).message).toBe(
      "the in-memory spec declares no operations; add operations under paths"
    )
  })
})

describe("a spec with a broken operation", () => {
  const broken = {
    openapi: "3.0.3",
    info: { title: "broken", version: "1" },
    paths: {
      "/items": {
        post: {
          operationId: "createItem",
          requestBody: {
            content: { "application/json": { schema: { $ref: "#/components/schemas/Missing" } } }
          },
          responses: { "201": { description: "created" } }
        }
      }
    }
  }
  const failureOf = (config: Omit<RunConfig, "spec" | "baseUrl">) =>
    run({ spec: { document: broken }, baseUrl: "http://127.0.0.1:18999", ...config }).catch(
      (error: unknown) => error as RunError
    )

  it("stops a strict run", async () => {
    const failure = await failureOf({ validate: "strict" })
    expect(failure).toBeInstanceOf(RunError)
    expect((failure as RunError).reason).toBe("SpecLoad")
    expect((failure as RunError).message).toContain("validation is strict")
    expect((failure as RunError).message).toContain("#/components/schemas/Missing")
  })

  it("names no filter when none is given", async () => {
    const failure = await failureOf({})
    expect((failure as RunError).reason).toBe("NoOperations")
    expect((failure as RunError).message).toMatch(/^no operation of the spec is usable: all 1 have errors/)
    expect((failure as RunError).message).not.toContain("filter")
  })
})

describe("a target that does not answer", () => {
  it("ends the run as errored", async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))

    const report = await run({ spec: { document }, baseUrl: `http://127.0.0.1:${port}`, seed: 1 })
    expect(report.run.status).toBe("errored")
    expect(report.run.reason).toContain(`no request got a response from http://127.0.0.1:${port}`)
    expect(report.summary.failedRequests).toBe(report.summary.steps)
  })
})

describe("a credential given as a header", () => {
  const target = useServer(() => 500)

  it("is masked on every operation", async () => {
    const report = await run({
      spec: { document },
      baseUrl: target.baseUrl,
      seed: 1,
      headers: { "X-Admin-Key": "plain-admin-key", Authorization: "Bearer plain-token" }
    })
    const serverErrors = report.findings.filter((finding) => finding.check === "not_a_server_error")
    expect(serverErrors.map((finding) => finding.operationId).sort()).toEqual(["admin", "listItems"])
    expect(JSON.stringify(report)).not.toContain("plain-admin-key")
    expect(JSON.stringify(report)).not.toContain("plain-token")
    expect(report.notes.filter((note) => note.includes("needs credentials"))).toEqual([])
  })

  const unsendable: ReadonlyArray<readonly [string, RunConfig["credentials"], RunConfig["headers"], string]> =
    [
      [
        "bearer with carriage return",
        { bearer: "tok-xyzzy\r" },
        undefined,
        "the bearer token contains the control character U+000D (a carriage return)"
      ],
      [
        "API key with line feed",
        { apiKeys: { adminKey: "key-xyzzy\n" } },
        undefined,
        'the API key for scheme "adminKey" contains the control character U+000A'
      ],
      [
        "header with line feed",
        undefined,
        { "X-Trace": "a\nb-xyzzy" },
        'the value of header "X-Trace" contains the control character U+000A'
      ]
    ]
  for (const [name, given, headers, message] of unsendable) {
    it(`${name} rejected before sending`, async () => {
      const error = await run({
        spec: { document },
        baseUrl: target.baseUrl,
        seed: 1,
        ...(given === undefined ? {} : { credentials: given }),
        ...(headers === undefined ? {} : { headers })
      }).then(
        () => undefined,
        (cause: unknown) => cause
      )

      expect(error).toBeInstanceOf(RunError)
      expect((error as RunError).reason).toBe("InvalidConfig")
      expect((error as RunError).message).toContain(message)
      expect((error as RunError).message).not.toContain("xyzzy")
    })
  }

  it("every request unencodable ends errored", async () => {
    const report = await run({
      spec: { document },
      baseUrl: target.baseUrl,
      seed: 1,
      headers: { "X-Note": "price €" }
    })

    expect(report.summary.steps).toBe(0)
    expect(report.run.status).toBe("errored")
    expect(report.run.reason).toContain("no request was sent")
  })

  it("plain string secrets are accepted", async () => {
    const report = await run({
      spec: { document },
      baseUrl: target.baseUrl,
      seed: 1,
      credentials: { bearer: "plain-bearer" }
    })
    expect(report.summary.steps).toBeGreaterThan(0)
    expect(JSON.stringify(report)).not.toContain("plain-bearer")
  })
})
