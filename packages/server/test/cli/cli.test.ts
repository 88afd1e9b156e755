/**
 * The `qawave` command line through `runCli` with a capturing output: exit codes, written reports,
 * usage errors, `inspect`, config files, credentials from the environment and help texts. Runs go
 * against the sample API and small real servers on 127.0.0.1.
 */

import { spawn } from "node:child_process"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type SampleApi, startSampleApi } from "../../../../examples/sample-api/src/server.js"
import { parseRunInvocation } from "../../src/cli/runOptions.js"
import { runCli } from "../../src/index.js"

const specPath = fileURLToPath(new URL("../../../../examples/sample-api/openapi.yaml", import.meta.url))

interface Captured {
  readonly out: Array<string>
  readonly err: Array<string>
}

const cli = async (argv: ReadonlyArray<string>) => {
  const captured: Captured = { out: [], err: [] }
  const code = await runCli(argv, {
    out: (text) => void captured.out.push(text),
    err: (text) => void captured.err.push(text),
    interactive: false
  })
  return { code, out: captured.out.join("\n"), err: captured.err.join("\n") }
}

let directory: string
let buggyApi: SampleApi
let fixedApi: SampleApi

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "qawave-cli-"))
  buggyApi = await startSampleApi({ port: 0, bugs: true })
  fixedApi = await startSampleApi({ port: 0, bugs: false })
})
afterAll(async () => {
  await buggyApi?.close()
  await fixedApi?.close()
  await rm(directory, { recursive: true, force: true })
})

/** Writes a config file with a spec, a base URL and `lines`, and returns the run configuration read from it. */
const configFromFile = async (name: string, lines: ReadonlyArray<string>) => {
  const config = join(directory, name)
  await writeFile(config, ["spec: openapi.yaml", "baseUrl: http://127.0.0.1:1", ...lines, ""].join("\n"))
  const invocation = await Effect.runPromise(parseRunInvocation(["--config", config], {}))
  return invocation === "help" ? undefined : invocation.config
}

const sampleCredentials = ["--bearer-token", "demo-token", "--api-key", "adminKey=demo-admin"]
const cacheFlags = () => ["--ai-cache-dir", join(directory, "cache"), "--no-progress"]

describe("qawave run", () => {
  it("findings exit 1 with reports", async () => {
    const json = join(directory, "report.json")
    const junit = join(directory, "report.xml")
    const html = join(directory, "report.html")
    const result = await cli([
      "run",
      specPath,
      "--base-url",
      buggyApi.baseUrl,
      ...sampleCredentials,
      "--seed",
      "7",
      "--max-response-time",
      "1000ms",
      "--report-json",
      json,
      "--report-junit",
      junit,
      "--report-html",
      html,
      ...cacheFlags()
    ])

    expect(result.code, result.err).toBe(1)
    const report = JSON.parse(await readFile(json, "utf8"))
    expect(Object.keys(report.run)).toEqual(
      expect.arrayContaining(["id", "status", "seed", "startedAt", "finishedAt"])
    )
    expect(report.run.status).toBe("failed")
    expect(report.run.seed).toBe(7)
    expect(Number.isNaN(Date.parse(report.run.startedAt))).toBe(false)
    expect(Number.isNaN(Date.parse(report.run.finishedAt))).toBe(false)
    for (const field of ["operations", "scenarios", "steps", "findings", "notValidated"]) {
      expect(typeof report.summary[field], `summary.${field}`).toBe("number")
    }
    expect(report.summary.findings).toBe(report.findings.length)
    expect(report.coverage).toHaveLength(10)
    for (const entry of report.coverage) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining(["operationId", "method", "path", "statusesDeclared", "statusesSeen"])
      )
    }
    expect(report.findings.length).toBeGreaterThan(0)
    for (const finding of report.findings) {
      for (const field of ["id", "operationId", "method", "path", "check", "count", "message", "curl"]) {
        expect(finding[field], `finding.${field}`).toBeDefined()
      }
      expect(Object.keys(finding.request)).toEqual(expect.arrayContaining(["method", "url", "headers"]))
      expect(typeof finding.response.status).toBe("number")
      expect(finding.response.headers).toBeTypeOf("object")
      expect(JSON.stringify(finding)).not.toContain("demo-token")
      expect(JSON.stringify(finding)).not.toContain("demo-admin")
    }
    const findingWithBody = report.findings.find(
      (finding: { check: string }) => finding.check === "response_schema_conformance"
    )
    expect(findingWithBody?.request.body).toBeDefined()
    expect(findingWithBody?.response.body).toBeDefined()

    const junitText = await readFile(junit, "utf8")
    expect(junitText.startsWith("<?xml")).toBe(true)
    expect(junitText).toContain("<testsuite")
    expect(junitText).toContain("<failure")
    const htmlText = await readFile(html, "utf8")
    expect(htmlText.toLowerCase()).toContain("<html")
    expect(htmlText).toContain("not_a_server_error")
    expect(result.out).toContain("FAILED")
    expect(result.out).toContain(`Findings ${report.findings.length},`)
    // The curl lines mask the token, and the summary names the options that contained the secrets.
    expect(result.out).toContain("Bearer ***")
    expect(result.out).toContain("  The masked secrets come from --bearer-token, --api-key adminKey.")
  }, 30_000)

  /** Runs the CLI against the sample API with its bugs fixed, with the demo credentials. */
  const runFixed = (...options: ReadonlyArray<string>) =>
    cli(["run", specPath, "--base-url", fixedApi.baseUrl, ...sampleCredentials, ...options])

  it("check names forgive case and hyphens", async () => {
    const result = await runFixed("--checks", "Not-A-Server-Error,STATUS_CODE_CONFORMANCE")

    expect(result.err).not.toContain("unknown check")
    expect(result.code, result.err).toBe(0)
  }, 30_000)

  it("no findings exit 0", async () => {
    const json = join(directory, "fixed.json")
    const result = await runFixed("--seed", "7", "--report-json", json, ...cacheFlags())
    const report = JSON.parse(await readFile(json, "utf8"))

    expect(
      report.findings.map(
        (finding: { check: string; message: string }) => `${finding.check}: ${finding.message}`
      )
    ).toEqual([])
    expect(result.code, result.err).toBe(0)
    expect(report.run.status).toBe("passed")
    expect(report.coverage.length).toBe(10)
  }, 30_000)

  describe("usage errors exit 2", () => {
    const cases: ReadonlyArray<readonly [string, () => ReadonlyArray<string>, ReadonlyArray<string>]> = [
      ["missing base URL", () => ["run", specPath], ["--base-url"]],
      [
        "bad rate limit",
        () => ["run", specPath, "--base-url", fixedApi.baseUrl, "--rate-limit", "fast"],
        ["--rate-limit", "fast"]
      ],
      [
        "unknown check",
        () => [
          "run",
          specPath,
          "--base-url",
          fixedApi.baseUrl,
          "--checks",
          "not_a_server_error,no_such_check"
        ],
        ["--checks", "no_such_check"]
      ],
      [
        "misspelt check",
        () => ["run", specPath, "--base-url", fixedApi.baseUrl, "--exclude-checks", "Not-A-Server-Eror"],
        ['"not_a_server_eror" (did you mean not_a_server_error?)']
      ],
      [
        "bad header",
        () => ["run", specPath, "--base-url", fixedApi.baseUrl, "--header", "NoColonHere"],
        ["--header", "NoColonHere"]
      ],
      [
        "missing spec file",
        () => ["run", join(directory, "missing-spec.yaml"), "--base-url", fixedApi.baseUrl],
        ["missing-spec.yaml"]
      ],
      [
        "bad base URL",
        () => ["run", specPath, "--base-url", "localhost:8080"],
        ["localhost:8080", "such as http://localhost:8080"]
      ],
      [
        "empty seed",
        () => ["run", specPath, "--base-url", fixedApi.baseUrl, "--seed", ""],
        ["--seed expects a whole number"]
      ],
      [
        "header without colon hides its value",
        () => [
          "run",
          specPath,
          "--base-url",
          fixedApi.baseUrl,
          "--header",
          "Authorization Bearer hidden-token"
        ],
        ['--header expects "Name: value"', '"Authorization …"']
      ],
      [
        "base URL with spaces",
        () => ["run", specPath, "--base-url", "not a url"],
        ["not a valid URL", "such as http://localhost:8080"]
      ],
      [
        "base URL without scheme",
        () => ["run", specPath, "--base-url", "127.0.0.1:4010"],
        ["such as http://127.0.0.1:4010"]
      ],
      [
        "concurrency above the cap",
        () => ["run", specPath, "--base-url", fixedApi.baseUrl, "--concurrency", "100000"],
        ["--concurrency must be at most 1000, got 100000"]
      ],
      [
        "response time check without limit",
        () => ["run", specPath, "--base-url", fixedApi.baseUrl, "--checks", "max_response_time"],
        ["--checks max_response_time needs a limit: add --max-response-time"]
      ],
      [
        "empty bearer token",
        () => ["run", specPath, "--base-url", fixedApi.baseUrl, "--bearer-token", ""],
        ["the bearer token is empty"]
      ],
      [
        "empty api key",
        () => ["run", specPath, "--base-url", fixedApi.baseUrl, "--api-key", "adminKey="],
        ["--api-key adminKey= has an empty value"]
      ],
      [
        "no check left",
        () => [
          "run",
          specPath,
          "--base-url",
          fixedApi.baseUrl,
          "--checks",
          "ignored_auth",
          "--exclude-checks",
          "ignored_auth"
        ],
        ["no check is left"]
      ],
      [
        "unknown scheme name",
        () => ["run", specPath, "--base-url", fixedApi.baseUrl, "--api-key", "wrong=1"],
        ['"wrong"', "bearerAuth, adminKey"]
      ],
      ["unknown command", () => ["lint"], ["lint"]],
      ["misspelt command", () => ["runn"], ['unknown command "runn" (did you mean "run"?)']],
      [
        "option without its value",
        () => ["run", specPath, "--base-url", fixedApi.baseUrl, "--seed"],
        ["--seed is missing its value"]
      ]
    ]
    for (const [name, argv, named] of cases) {
      it(name, async () => {
        const result = await cli(argv())

        expect(result.code, result.err).toBe(2)
        for (const text of named) expect(result.err).toContain(text)
        expect(result.err).not.toContain("hidden-token")
      })
    }
  })
})

const writeSpec = async (name: string, document: unknown) => {
  const path = join(directory, name)
  await writeFile(path, JSON.stringify(document))
  return path
}

describe("qawave inspect", () => {
  it("prints operations as text", async () => {
    const result = await cli(["inspect", specPath])

    expect(result.code, result.err).toBe(0)
    for (const operationId of ["listPets", "createPet", "deleteOrder"])
      expect(result.out).toContain(operationId)
    expect(result.out).toContain("10 operations, 10 usable")
  })

  it("prints operations as JSON", async () => {
    const result = await cli(["inspect", specPath, "--json"])
    const parsed = JSON.parse(result.out)

    expect(result.code).toBe(0)
    expect(parsed.operations).toHaveLength(10)
    expect(parsed.operations[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        method: expect.any(String),
        path: expect.any(String)
      })
    )
    expect(Array.isArray(parsed.problems)).toBe(true)
    expect(Array.isArray(parsed.warnings)).toBe(true)
  })

  it("no usable operation exits 2", async () => {
    const path = await writeSpec("unusable.json", {
      openapi: "3.0.3",
      info: { title: "Broken", version: "1" },
      paths: {
        "/things": {
          post: {
            operationId: "createThing",
            requestBody: {
              content: { "application/json": { schema: { $ref: "#/components/schemas/Missing" } } }
            },
            responses: { "200": { description: "ok" } }
          }
        }
      }
    })
    const result = await cli(["inspect", path])

    expect(result.code).toBe(2)
    expect(result.out).toContain("createThing")
    expect(result.out).toContain("[unusable]")
  })

  it("non-OpenAPI file exits 2", async () => {
    const path = join(directory, "not-openapi.yaml")
    await writeFile(path, "name: shopping list\nitems: [milk, bread]\n")
    const result = await cli(["inspect", path])

    expect(result.code).toBe(2)
    expect(result.err).toContain("not-openapi.yaml")
  })
})

interface AuthServer {
  readonly baseUrl: string
  readonly authorizations: Array<string | undefined>
  readonly close: () => Promise<void>
}

/** Starts a server for one bearer-secured operation that answers 200 to `Bearer demo-token`, else 401. */
const startAuthServer = async (): Promise<AuthServer> => {
  const authorizations: Array<string | undefined> = []
  const server = createServer((request, response) => {
    const headers: IncomingHttpHeaders = request.headers
    authorizations.push(headers.authorization)
    if (headers.authorization === "Bearer demo-token") {
      response.writeHead(200, { "content-type": "application/json" })
      response.end(JSON.stringify({ ok: true }))
      return
    }
    response.writeHead(401, { "content-type": "application/json", "www-authenticate": "Bearer" })
    response.end(JSON.stringify({ error: "unauthorized" }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    authorizations,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

const securedSpec = {
  openapi: "3.0.3",
  info: { title: "Secured", version: "1" },
  components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
  security: [{ bearerAuth: [] }],
  paths: {
    "/secure": {
      get: {
        operationId: "readSecure",
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] }
              }
            }
          },
          "401": {
            description: "no credentials",
            content: { "application/json": { schema: { type: "object" } } }
          }
        }
      }
    }
  }
}

describe("settings from files and the environment", () => {
  let authServer: AuthServer
  beforeAll(async () => {
    authServer = await startAuthServer()
  })
  afterAll(() => authServer?.close())

  // The JSON report's coverage has no per-check counts, so an ignored_auth failure shows as a finding.
  const expectTokenApplied = (report: {
    coverage: ReadonlyArray<{ operationId: string; statusesSeen: ReadonlyArray<number> }>
    findings: ReadonlyArray<{ check: string }>
  }) => {
    expect(authServer.authorizations).toContain("Bearer demo-token")
    // Scenarios without credentials get 401, so a run that sent none everywhere would see no 200.
    expect(authServer.authorizations).toContain(undefined)
    expect(report.coverage[0]?.statusesSeen).toEqual([200, 401])
    expect(report.findings.map((finding) => finding.check)).not.toContain("ignored_auth")
    expect(report.findings).toEqual([])
  }

  it("YAML config file is applied", async () => {
    const spec = await writeSpec("secured.json", securedSpec)
    const json = join(directory, "from-config.json")
    const config = join(directory, "qawave.yaml")
    await writeFile(
      config,
      [
        `spec: ${spec}`,
        `baseUrl: ${authServer.baseUrl}`,
        "seed: 3",
        `reportJson: ${json}`,
        "auth:",
        "  bearer: demo-token",
        ""
      ].join("\n")
    )
    authServer.authorizations.length = 0
    const result = await cli(["run", "--config", config, ...cacheFlags()])
    const report = JSON.parse(await readFile(json, "utf8"))

    expect(result.code, `${result.err}\n${JSON.stringify(report.findings, null, 2)}`).toBe(0)
    expect(report.run.seed).toBe(3)
    expectTokenApplied(report)
  })

  it("config file lists and relative spec", async () => {
    await writeSpec("relative.json", securedSpec)
    const json = join(directory, "from-relative.json")
    const config = join(directory, "relative.yaml")
    await writeFile(
      config,
      [
        "spec: relative.json",
        `baseUrl: ${authServer.baseUrl}`,
        "checks: [not_a_server_error, status_code_conformance]",
        `reportJson: ${json}`,
        "auth:",
        "  bearer: demo-token",
        ""
      ].join("\n")
    )
    const result = await cli(["run", "--config", config, ...cacheFlags()])

    expect(result.code, result.err).toBe(0)
    expect(JSON.parse(await readFile(json, "utf8")).run.status).toBe("passed")
  })

  it("config file unknown setting", async () => {
    const config = join(directory, "unknown.yaml")
    await writeFile(config, "spec: x.json\nbasUrl: http://127.0.0.1:1\n")
    const result = await cli(["run", "--config", config])

    expect(result.code).toBe(2)
    expect(result.err).toContain("unknown setting basUrl (did you mean baseUrl?)")
  })

  it("config file filters and headers", async () => {
    const runConfig = await configFromFile("filters.yaml", [
      "operation: [listPets, getPet]",
      "tag: pets",
      "path: [/pets]",
      "header: ['X-Trace: on']",
      "serverVar: [region=eu]"
    ])

    expect(runConfig?.filter).toEqual({
      operationIds: ["listPets", "getPet"],
      tags: ["pets"],
      paths: ["/pets"]
    })
    expect(runConfig?.headers).toEqual({ "X-Trace": "on" })
    expect(runConfig?.serverVariables).toEqual({ region: "eu" })
  })

  it("config file header and serverVar maps", async () => {
    const runConfig = await configFromFile("maps.yaml", [
      "header: { X-Trace: on }",
      "serverVar: { region: eu }"
    ])

    expect(runConfig?.headers).toEqual({ "X-Trace": "on" })
    expect(runConfig?.serverVariables).toEqual({ region: "eu" })
  })

  const configErrors: ReadonlyArray<readonly [string, string, string]> = [
    [
      "misspelt auth setting",
      "auth: { baerer: demo-token }",
      "unknown auth setting baerer (did you mean bearer?)"
    ],
    ["operation as a map", "operation: { id: getPet }", "operation must be a string or a list"],
    ["YAML syntax error", "header: [unclosed", "invalid config file"],
    ["report path as a map", "reportJson: { path: r.json }", "reportJson must be a string, got a map"],
    ["seed as a boolean", "seed: true", "seed must be a number or a string, got a boolean"],
    ["bearer as a list", "auth: { bearer: [a, b] }", "auth.bearer must be a string, got a list"],
    [
      "API keys as a list",
      "auth: { apiKeys: [adminKey=x] }",
      "auth.apiKeys must be a map from scheme name to key"
    ]
  ]
  for (const [name, line, message] of configErrors) {
    it(`config file ${name}`, async () => {
      const config = join(directory, `${name.replaceAll(" ", "-")}.yaml`)
      await writeFile(config, ["spec: openapi.yaml", "baseUrl: http://127.0.0.1:1", line, ""].join("\n"))
      const result = await cli(["run", "--config", config])

      expect(result.code).toBe(2)
      expect(result.err).toContain(message)
    })
  }

  it("missing config file cannot be read", async () => {
    const result = await cli(["run", "--config", join(directory, "no-such.yaml")])

    expect(result.code).toBe(2)
    expect(result.err).toContain("cannot read the config file")
  })

  it("bearer token from the environment", async () => {
    const spec = await writeSpec("secured-env.json", securedSpec)
    const json = join(directory, "from-env.json")
    authServer.authorizations.length = 0
    process.env.QAWAVE_BEARER_TOKEN = "demo-token"
    try {
      const result = await cli([
        "run",
        spec,
        "--base-url",
        authServer.baseUrl,
        "--report-json",
        json,
        ...cacheFlags()
      ])
      const report = JSON.parse(await readFile(json, "utf8"))

      expect(result.code, result.err).toBe(0)
      expectTokenApplied(report)
      expect(await readFile(json, "utf8")).not.toContain("demo-token")
    } finally {
      delete process.env.QAWAVE_BEARER_TOKEN
    }
  })

  it("empty API key in the environment", async () => {
    const spec = await writeSpec("secured-empty-env.json", securedSpec)
    process.env.QAWAVE_API_KEY_ADMINKEY = ""
    try {
      const result = await cli(["run", spec, "--base-url", authServer.baseUrl, ...cacheFlags()])

      expect(result.code).toBe(2)
      expect(result.err).toContain("QAWAVE_API_KEY_ADMINKEY is empty")
    } finally {
      delete process.env.QAWAVE_API_KEY_ADMINKEY
    }
  })
})

describe("help", () => {
  const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
    [["--help"], "Usage: qawave <command>"],
    [["run", "--help"], "Usage: qawave run"],
    [["inspect", "--help"], "Usage: qawave inspect"],
    [["model-server", "--help"], "Usage: qawave model-server"]
  ]
  for (const [argv, heading] of cases) {
    it(argv.join(" "), async () => {
      const result = await cli(argv)

      expect(result.code).toBe(0)
      expect(result.out).toContain(heading)
    })
  }

  it("no command exits 2", async () => {
    const result = await cli([])

    expect(result.code).toBe(2)
    expect(result.out).toContain("Usage: qawave")
  })
})

/** Starts the built `qawave` bin in a child process, collecting its output and awaiting its exit. */
const spawnBin = (argv: ReadonlyArray<string>) => {
  const bin = fileURLToPath(new URL("../../bin/qawave.js", import.meta.url))
  const child = spawn(process.execPath, [bin, ...argv])
  const output = { stdout: "", stderr: "" }
  child.stdout.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString("utf8")
  })
  child.stderr.on("data", (chunk: Buffer) => {
    output.stderr += chunk.toString("utf8")
  })
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  return { child, output, exited }
}

describe("signals and warnings", () => {
  it("credential warning on stderr", async () => {
    const result = await cli([
      "run",
      specPath,
      "--base-url",
      fixedApi.baseUrl,
      "--operation",
      "createPet",
      "--no-progress"
    ])

    expect(result.err).toContain("qawave: warning: createPet needs credentials")
  }, 30_000)

  it("stopped flow names the failed step", async () => {
    const json = join(directory, "no-credentials.json")
    await cli(["run", specPath, "--base-url", fixedApi.baseUrl, "--no-progress", "--report-json", json])
    const report = JSON.parse(await readFile(json, "utf8"))
    const stopped = report.notes.filter((note: string) => note.includes("no earlier step provided"))

    expect(stopped.length).toBeGreaterThan(0)
    for (const note of stopped) expect(note).toContain("(the step before got 401)")
    expect(report.summary.flows.stopped).toBe(stopped.length)
    expect(report.summary.flows.run).toBeGreaterThanOrEqual(stopped.length)
  }, 30_000)

  it("log lines go to stderr", async () => {
    // No model server listens on port 9, so every model call fails and is logged.
    const { output, exited } = spawnBin([
      "run",
      specPath,
      "--base-url",
      fixedApi.baseUrl,
      "--operation",
      "getPet",
      "--ai-base-url",
      "http://127.0.0.1:9/v1",
      "--ai-model",
      "m",
      "--ai-cache-dir",
      join(directory, "no-model-cache"),
      "--no-progress"
    ])
    await exited

    expect(output.stderr).toContain("level=WARN")
    expect(output.stdout).not.toContain("level=")
    expect(output.stdout).toContain("QAWave run")
  }, 60_000)

  it("closed output pipe keeps the exit code", async () => {
    // The API is down, so the run is errored and must exit 2 even though its output is never read.
    const { child, exited } = spawnBin(["run", specPath, "--base-url", "http://127.0.0.1:9", "--no-progress"])
    child.stdout.destroy()
    child.stderr.destroy()

    expect(await exited).toBe(2)
  }, 30_000)

  it("token with carriage return rejected", async () => {
    const previous = process.env.QAWAVE_BEARER_TOKEN
    process.env.QAWAVE_BEARER_TOKEN = "tok-xyzzy\r"
    try {
      const result = await cli(["run", specPath, "--base-url", fixedApi.baseUrl, "--no-progress"])

      expect(result.code).toBe(2)
      expect(result.err).toContain(
        "the bearer token contains the control character U+000D (a carriage return)"
      )
      expect(result.err).not.toContain("xyzzy")
    } finally {
      if (previous === undefined) delete process.env.QAWAVE_BEARER_TOKEN
      else process.env.QAWAVE_BEARER_TOKEN = previous
    }
  }, 30_000)

  it("SIGTERM cancels and writes reports", async () => {
    // Every response is delayed, so the run is still going when the signal comes.
    const slow = createServer((_request, response) => {
      setTimeout(() => {
        response.writeHead(200, { "content-type": "application/json" })
        response.end("{}")
      }, 300)
    })
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve))
    const { port } = slow.address() as AddressInfo
    const reportPath = join(directory, "sigterm.json")
    const { child, output, exited } = spawnBin([
      "run",
      specPath,
      "--base-url",
      `http://127.0.0.1:${port}`,
      "--concurrency",
      "1",
      "--no-progress",
      "--report-json",
      reportPath
    ])
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    child.kill("SIGTERM")
    const code = await exited
    slow.close()
    const report = JSON.parse(await readFile(reportPath, "utf8"))

    expect(code, output.stderr).toBe(143)
    expect(output.stderr).toContain("cancelling the run on SIGTERM")
    expect(report.run.status).toBe("cancelled")
    expect(report.run.reason).toBe("the run was stopped with SIGTERM")
  }, 30_000)
})
