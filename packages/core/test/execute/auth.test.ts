/**
 * Credentials per security scheme, on the wire and masked in the record.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import type { Credentials } from "../../src/execute/auth.js"
import { invalidCredential } from "../../src/execute/auth.js"
import { toCurl } from "../../src/execute/curl.js"
import { Executor } from "../../src/execute/Executor.js"
import type { AuthMode } from "../../src/scenario/Scenario.js"
import type { SecurityRequirement, SecurityScheme } from "../../src/spec/model.js"
import { encodeOrDie, operation, parameter, request } from "./fixtures.js"
import { startServer } from "./server.js"

const securitySchemes: Record<string, SecurityScheme> = {
  headerKey: { type: "apiKey", name: "headerKey", in: "header", parameterName: "X-API-Key" },
  queryKey: { type: "apiKey", name: "queryKey", in: "query", parameterName: "api_key" },
  cookieKey: { type: "apiKey", name: "cookieKey", in: "cookie", parameterName: "session" },
  basicAuth: { type: "http", name: "basicAuth", scheme: "basic" },
  bearerAuth: { type: "http", name: "bearerAuth", scheme: "bearer", bearerFormat: "JWT" },
  oauth: { type: "oauth2", name: "oauth", flows: {} },
  oidc: { type: "openIdConnect", name: "oidc", openIdConnectUrl: "http://127.0.0.1:1/.well-known" }
}

const secrets = {
  header: "hdr-secret-1",
  query: "q secret/2&x",
  cookie: "cookie-secret-3",
  password: "pa:ss-4",
  bearer: "bearer-secret-5",
  tenant: "tenant-secret-6"
}

const credentials: Credentials = {
  apiKeys: {
    headerKey: Redacted.make(secrets.header),
    queryKey: Redacted.make(secrets.query),
    cookieKey: Redacted.make(secrets.cookie)
  },
  basic: { username: "alice", password: Redacted.make(secrets.password) },
  bearer: Redacted.make(secrets.bearer),
  headers: { "X-Tenant-Token": Redacted.make(secrets.tenant), "X-Tenant": "acme" }
}

const requirement = (...schemes: Array<string>): SecurityRequirement =>
  schemes.map((scheme) => ({ scheme, scopes: [] }))

const run = (
  security: ReadonlyArray<SecurityRequirement>,
  auth: AuthMode,
  given: Credentials = credentials
) =>
  Effect.gen(function* () {
    const server = yield* startServer()
    const op = operation({ security, parameters: [] })
    const encoded = yield* encodeOrDie(
      op,
      request({ auth, query: { page: 1 }, cookies: { theme: "dark" } }),
      {
        baseUrl: server.baseUrl,
        spec: { securitySchemes, definitions: { get: () => undefined } },
        credentials: given
      }
    )
    const exchange = yield* (yield* Executor).execute(encoded, { targetKey: "t" })
    return { received: server.received[0]!, exchange }
  })

const expectNoSecret = (text: string) => {
  for (const secret of Object.values(secrets)) {
    expect(text).not.toContain(secret)
    expect(text).not.toContain(encodeURIComponent(secret))
  }
  expect(text).not.toContain(Buffer.from(`alice:${secrets.password}`).toString("base64"))
}

describe("credentials by scheme", () => {
  it.scopedLive("apiKey in header", () =>
    Effect.gen(function* () {
      const { received, exchange } = yield* run([requirement("headerKey")], "default")

      expect(received.headers["x-api-key"]).toBe(secrets.header)
      expect(exchange.request.headers["x-api-key"]).toBe("***")
      expectNoSecret(JSON.stringify(exchange))
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("apiKey in query", () =>
    Effect.gen(function* () {
      const { received, exchange } = yield* run([requirement("queryKey")], "default")

      const params = new URL(received.url, "http://127.0.0.1").searchParams
      expect(params.get("api_key")).toBe(secrets.query)
      expect(params.get("page")).toBe("1")
      expect(exchange.request.url).toMatch(/\?page=1&api_key=\*\*\*$/)
      expectNoSecret(JSON.stringify(exchange))
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("apiKey in cookie", () =>
    Effect.gen(function* () {
      const { received, exchange } = yield* run([requirement("cookieKey")], "default")

      expect(received.headers.cookie).toBe(`theme=dark; session=${secrets.cookie}`)
      expect(exchange.request.headers.cookie).toBe("theme=dark; session=***")
      expectNoSecret(JSON.stringify(exchange))
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("http basic", () =>
    Effect.gen(function* () {
      const { received, exchange } = yield* run([requirement("basicAuth")], "default")

      const token = (received.headers.authorization as string).replace(/^Basic /, "")
      expect(Buffer.from(token, "base64").toString("utf8")).toBe(`alice:${secrets.password}`)
      expect(exchange.request.headers.authorization).toBe("Basic ***")
      expectNoSecret(JSON.stringify(exchange))
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("http bearer", () =>
    Effect.gen(function* () {
      const { received, exchange } = yield* run([requirement("bearerAuth")], "default")

      expect(received.headers.authorization).toBe(`Bearer ${secrets.bearer}`)
      expect(exchange.request.headers.authorization).toBe("Bearer ***")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("oauth2 and openIdConnect as bearer", () =>
    Effect.gen(function* () {
      const oauth = yield* run([requirement("oauth")], "default")
      const oidc = yield* run([requirement("oidc")], "default")

      expect(oauth.received.headers.authorization).toBe(`Bearer ${secrets.bearer}`)
      expect(oidc.received.headers.authorization).toBe(`Bearer ${secrets.bearer}`)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("AND requirement sends every scheme", () =>
    Effect.gen(function* () {
      const { received } = yield* run([requirement("headerKey", "bearerAuth")], "default")

      expect(received.headers["x-api-key"]).toBe(secrets.header)
      expect(received.headers.authorization).toBe(`Bearer ${secrets.bearer}`)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("first satisfiable alternative chosen", () =>
    Effect.gen(function* () {
      const onlyBearer: Credentials = { bearer: Redacted.make(secrets.bearer) }
      const { received } = yield* run(
        [requirement("headerKey"), requirement("bearerAuth")],
        "default",
        onlyBearer
      )

      expect(received.headers["x-api-key"]).toBeUndefined()
      expect(received.headers.authorization).toBe(`Bearer ${secrets.bearer}`)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("credentials headers sent and masked", () =>
    Effect.gen(function* () {
      const { received, exchange } = yield* run([], "default")

      expect(received.headers["x-tenant-token"]).toBe(secrets.tenant)
      expect(received.headers["x-tenant"]).toBe("acme")
      expect(exchange.request.headers["x-tenant-token"]).toBe("***")
      expect(exchange.request.headers["x-tenant"]).toBe("acme")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("auth none sends no credentials", () =>
    Effect.gen(function* () {
      const { received } = yield* run([requirement("headerKey"), requirement("basicAuth")], "none")

      expect(received.headers["x-api-key"]).toBeUndefined()
      expect(received.headers.authorization).toBeUndefined()
      expect(received.headers["x-tenant-token"]).toBeUndefined()
      expect(received.headers["x-tenant"]).toBe("acme")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("auth invalid sends wrong values", () =>
    Effect.gen(function* () {
      const header = yield* run([requirement("headerKey", "cookieKey")], "invalid")
      const basic = yield* run([requirement("basicAuth")], "invalid", {})
      const bearer = yield* run([requirement("bearerAuth")], "invalid")

      expect(header.received.headers["x-api-key"]).toBe(invalidCredential.apiKey)
      expect(header.received.headers.cookie).toBe(`theme=dark; session=${invalidCredential.apiKey}`)
      expect(header.received.headers["x-tenant-token"]).toBe(invalidCredential.header)
      const token = (basic.received.headers.authorization as string).replace(/^Basic /, "")
      expect(Buffer.from(token, "base64").toString("utf8")).toBe(
        `${invalidCredential.username}:${invalidCredential.password}`
      )
      expect(bearer.received.headers.authorization).toBe(`Bearer ${invalidCredential.token}`)
      expectNoSecret(JSON.stringify([header.exchange, basic.exchange, bearer.exchange]))
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("curl line keeps secrets masked", () =>
    Effect.gen(function* () {
      const { exchange } = yield* run([requirement("queryKey", "basicAuth")], "default")
      const curl = toCurl(exchange.request)

      expect(curl).toContain("-H 'authorization: Basic ***'")
      expect(curl).toContain("api_key=***")
      expectNoSecret(curl)
    }).pipe(Effect.provide(Executor.layer()))
  )
})

describe("parameters that are also credentials", () => {
  const sendWithDeclaredKey = (auth: AuthMode) =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = operation({
        security: [requirement("queryKey"), requirement("headerKey")],
        parameters: [
          parameter("api_key", "query", "form", true),
          parameter("X-API-Key", "header", "simple", false)
        ]
      })
      const encoded = yield* encodeOrDie(
        op,
        request({
          auth,
          query: { api_key: "generated-value", page: 2 },
          headers: { "X-API-Key": "generated-header" }
        }),
        {
          baseUrl: server.baseUrl,
          spec: { securitySchemes, definitions: { get: () => undefined } },
          credentials
        }
      )
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })
      return server.received[0]!
    })

  it.scopedLive("sends the credential once", () =>
    Effect.gen(function* () {
      const received = yield* sendWithDeclaredKey("default")
      const query = new URL(received.url, "http://127.0.0.1").searchParams
      expect(query.getAll("api_key")).toEqual([secrets.query])
      expect(query.get("page")).toBe("2")
      expect(received.headers["x-api-key"]).toBeUndefined()
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("sends no credential without auth", () =>
    Effect.gen(function* () {
      const received = yield* sendWithDeclaredKey("none")
      const query = new URL(received.url, "http://127.0.0.1").searchParams
      expect(query.getAll("api_key")).toEqual([])
      expect(received.headers["x-api-key"]).toBeUndefined()
    }).pipe(Effect.provide(Executor.layer()))
  )
})

describe("headers that carry credentials", () => {
  const sendWithHeader = (auth: AuthMode) =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = operation({ security: [requirement("headerKey")], parameters: [] })
      const encoded = yield* encodeOrDie(op, request({ auth }), {
        baseUrl: server.baseUrl,
        spec: { securitySchemes, definitions: { get: () => undefined } },
        headers: { "X-API-Key": "plain-header-secret", "X-Tenant": "acme" }
      })
      const exchange = yield* (yield* Executor).execute(encoded, { targetKey: "t" })
      return { received: server.received[0]!, exchange }
    })

  it.scopedLive("masks a plain apiKey header", () =>
    Effect.gen(function* () {
      const { received, exchange } = yield* sendWithHeader("default")
      expect(received.headers["x-api-key"]).toBe("plain-header-secret")
      expect(JSON.stringify(exchange)).not.toContain("plain-header-secret")
      expect(received.headers["x-tenant"]).toBe("acme")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("leaves it out without auth", () =>
    Effect.gen(function* () {
      const { received } = yield* sendWithHeader("none")
      expect(received.headers["x-api-key"]).toBeUndefined()
      expect(received.headers["x-tenant"]).toBe("acme")
    }).pipe(Effect.provide(Executor.layer()))
  )
})
