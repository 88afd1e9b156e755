/**
 * No false alarms on a correct API: Prism (`prism mock`) builds its responses from the spec, so
 * QAWave's conformance checks must find nothing there. Each Prism behaviour that really deviates from
 * the spec is excluded narrowly below and shown by a test of its own.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import type { CheckName } from "../../src/check/Check.js"
import type { Finding } from "../../src/check/Finding.js"
import type { Credentials } from "../../src/execute/auth.js"
import { run } from "../../src/facade.js"
import type { RunReport } from "../../src/run/Run.js"
import fixture from "./fixtures/specs.json" with { type: "json" }
import { startPrism, stopAll } from "./prism.js"

const coreDir = join(import.meta.dirname, "..", "..")
const directory = join(coreDir, fixture.directoryRoot)
const fixturesDir = join(import.meta.dirname, "fixtures")

interface SpecEntry {
  readonly file?: string
  readonly local?: string
  readonly dynamic?: boolean
  readonly reason: string
}

const pathOf = (entry: SpecEntry): string =>
  entry.local !== undefined ? join(fixturesDir, entry.local) : join(directory, entry.file ?? "")

const labelOf = (entry: SpecEntry): string =>
  `${entry.local ?? entry.file ?? "?"}${entry.dynamic === true ? " (dynamic)" : ""}`

/** The checks that judge a response against the spec alone. */
const conformanceChecks: ReadonlyArray<CheckName> = [
  "status_code_conformance",
  "content_type_conformance",
  "response_schema_conformance",
  "response_headers_conformance",
  "not_a_server_error"
]

const prismErrors = "https://stoplight.io/prism/errors#"

// Prism checks that a credential is present, never its value.
const secret = Redacted.make("qawave-prism-test-secret")

type Document = {
  readonly openapi?: string
  readonly securityDefinitions?: Record<string, unknown>
  readonly components?: { readonly securitySchemes?: Record<string, unknown> }
}

const readDocument = (path: string): Document => JSON.parse(readFileSync(path, "utf8")) as Document

/** Credentials for every security scheme of the document: a token per scheme name, and basic. */
const credentialsFor = (document: Document): Credentials => {
  const schemes = document.securityDefinitions ?? document.components?.securitySchemes ?? {}
  const apiKeys = Object.fromEntries(Object.keys(schemes).map((name) => [name, secret]))
  return { apiKeys, bearer: secret, basic: { username: "qawave", password: secret } }
}

const runAgainst = (baseUrl: string, specPath: string, credentials: Credentials) =>
  Effect.tryPromise(() =>
    run({
      spec: specPath,
      baseUrl,
      seed: 1,
      maxScenariosPerOperation: 5,
      concurrency: 5,
      credentials
    })
  )

const responseJson = (finding: Finding): unknown => {
  try {
    return JSON.parse(finding.response?.body ?? "")
  } catch {
    return undefined
  }
}

/** Returns the error type of a problem document that Prism wrote itself, such as `UNPROCESSABLE_ENTITY`. */
const prismErrorType = (finding: Finding): string | undefined => {
  const body = responseJson(finding) as { type?: unknown } | undefined
  const type = body?.type
  return typeof type === "string" && type.startsWith(prismErrors) ? type.slice(prismErrors.length) : undefined
}

/**
 * Prism defect: Prism responds 422 to a request it finds invalid when the operation declares no 4xx
 * for it, and 401 when a required credential is missing, even where the spec declares neither
 * status. Both statuses are Prism's own invention, so `status_code_conformance` is right to flag
 * them. Only findings with Prism's own problem document and a scenario meant to be rejected are left
 * out. The tests under "Prism defects" show both.
 * NOTE: a finding groups every failure with the same signature (here the status), and its
 * provenance is that of one of them, so a valid request answered with 422 can hide behind an
 * invalid one in the same operation.
 */
const isStatusInventedByPrism = (finding: Finding): boolean => {
  if (finding.check !== "status_code_conformance") return false
  const status = finding.response?.status
  const type = prismErrorType(finding)
  if (status === 422) return type === "UNPROCESSABLE_ENTITY" && finding.provenance.intent === "invalid"
  if (status === 401) return type === "UNAUTHORIZED" && finding.provenance.intent === "auth"
  return false
}

const describeFinding = (finding: Finding): string =>
  [
    `${finding.check} ${finding.method} ${finding.path} (x${finding.count}, ${finding.provenance.rule}): ${finding.message}`,
    `  request: ${finding.request.method} ${finding.request.url} ${finding.request.body ?? ""}`.trimEnd(),
    `  response: ${finding.response?.status ?? "none"} ${JSON.stringify(finding.response?.headers ?? {})}`,
    `  body: ${(finding.response?.body ?? "").slice(0, 600)}`
  ].join("\n")

const falseAlarmsOf = (report: RunReport): ReadonlyArray<Finding> =>
  report.findings.filter(
    (finding) => conformanceChecks.includes(finding.check) && !isStatusInventedByPrism(finding)
  )

afterAll(() => stopAll())

describe("Prism mock conformance", () => {
  for (const entry of fixture.specs as ReadonlyArray<SpecEntry>) {
    it.scoped(
      `no false alarms on ${labelOf(entry)}`,
      () =>
        Effect.gen(function* () {
          const specPath = pathOf(entry)
          const prism = yield* startPrism(specPath, { dynamic: entry.dynamic === true })
          const report = yield* runAgainst(prism.baseUrl, specPath, credentialsFor(readDocument(specPath)))

          expect(report.summary.operations, "operations run").toBeGreaterThan(0)
          expect(report.summary.steps, "steps run").toBeGreaterThan(report.summary.operations)
          expect(report.summary.failedRequests, "requests without a response").toBe(0)
          const falseAlarms = falseAlarmsOf(report)
          expect(
            falseAlarms.length,
            `conformance findings on Prism:\n${falseAlarms.map(describeFinding).join("\n")}`
          ).toBe(0)
        }),
      60_000
    )
  }
})

describe("Prism defects", () => {
  const fetchFrom = (url: string, headers: Record<string, string> = {}) =>
    Effect.promise(async () => {
      const response = await fetch(url, { headers })
      return { status: response.status, headers: response.headers, body: await response.text() }
    })

  it.scoped(
    "undeclared 422 for an invalid query",
    () =>
      Effect.gen(function* () {
        const specPath = join(directory, "circleci.com.json")
        const document = JSON.parse(readFileSync(specPath, "utf8")) as {
          paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
        }
        const declared = Object.keys(document.paths["/project/{username}/{project}"]?.get?.responses ?? {})
        expect(declared).not.toContain("422")
        expect(declared).not.toContain("4XX")
        expect(declared).not.toContain("default")

        const prism = yield* startPrism(specPath)
        // `limit` is an integer, and "many" is not.
        const response = yield* fetchFrom(`${prism.baseUrl}/project/octo/cat?limit=many&circle-token=token`)
        expect(response.status).toBe(422)
        expect(response.body).toContain(`${prismErrors}UNPROCESSABLE_ENTITY`)
      }),
    60_000
  )

  it.scoped(
    "undeclared 401 without credentials",
    () =>
      Effect.gen(function* () {
        const specPath = join(directory, "isbndb.com.json")
        const document = JSON.parse(readFileSync(specPath, "utf8")) as {
          paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
        }
        expect(Object.keys(document.paths["/stats"]?.get?.responses ?? {})).toEqual(["200"])

        const prism = yield* startPrism(specPath)
        const withoutKey = yield* fetchFrom(`${prism.baseUrl}/stats`)
        expect(withoutKey.status).toBe(401)
        expect(withoutKey.body).toContain(`${prismErrors}UNAUTHORIZED`)
        const withKey = yield* fetchFrom(`${prism.baseUrl}/stats`, { "x-api-key": "any value" })
        expect(withKey.status).toBe(200)
      }),
    60_000
  )

  /**
   * codat.io/banking.json is OpenAPI 3.1.0 but marks fields `"type": "number", "nullable": true`.
   * `nullable` is an OpenAPI 3.0 keyword that JSON Schema 2020-12 ignores, so null is invalid there.
   * Prism's dynamic mode (5.14.2) still generates null for such fields and does not flag its own
   * response in `sl-violations`. QAWave flags it, which is correct for a 3.1 document.
   */
  it.scoped(
    "dynamic mode null for 3.1 nullable",
    () =>
      Effect.gen(function* () {
        const specPath = join(directory, "codat.io/banking.json")
        expect(readDocument(specPath).openapi).toBe("3.1.0")
        const prism = yield* startPrism(specPath, { dynamic: true })
        const report = yield* runAgainst(prism.baseUrl, specPath, credentialsFor(readDocument(specPath)))

        const schemaFindings = report.findings.filter(
          (finding) => finding.check === "response_schema_conformance"
        )
        expect(schemaFindings.length, "response_schema_conformance findings").toBeGreaterThan(0)
        for (const finding of schemaFindings) {
          const located = /: (\/[^:]*): must be (number|string|integer|boolean|object|array)\b/.exec(
            finding.message
          )
          expect(located, describeFinding(finding)).not.toBeNull()
          const pointer = located?.[1] ?? ""
          const value = pointer
            .split("/")
            .slice(1)
            .reduce<unknown>(
              (node, key) => (node as Record<string, unknown> | undefined)?.[key],
              responseJson(finding)
            )
          expect(value, describeFinding(finding)).toBeNull()
          expect(finding.response?.headers["sl-violations"], describeFinding(finding)).toBeUndefined()
        }
      }),
    60_000
  )
})

describe("Prism controls", () => {
  /**
   * nexmo.com/account.json gives JSON examples as strings that contain JSON, so Prism's static
   * responses are strings where the schema expects objects. Prism flags them in `sl-violations`, and
   * QAWave must flag them too: this shows that the checks the tests above expect to pass can fail.
   */
  it.scoped(
    "example that violates its schema",
    () =>
      Effect.gen(function* () {
        const specPath = join(directory, "nexmo.com/account.json")
        const prism = yield* startPrism(specPath)
        const report = yield* runAgainst(prism.baseUrl, specPath, credentialsFor(readDocument(specPath)))

        const schemaFindings = report.findings.filter(
          (finding) => finding.check === "response_schema_conformance"
        )
        expect(schemaFindings.map((finding) => finding.path)).toContain("/account/settings")
        for (const finding of schemaFindings) {
          expect(finding.response?.headers["sl-violations"], describeFinding(finding)).toContain(
            '"response","body"'
          )
        }
      }),
    60_000
  )

  it.scoped(
    "api-key parameter sent once",
    () =>
      Effect.gen(function* () {
        // nytimes.com/books_api declares a query parameter `api-key` that is also its apiKey scheme:
        // the credential must replace the generated value, and a request without credentials must
        // carry neither, or Prism sees an array (422) or a credential (ignored_auth).
        const specPath = join(directory, "nytimes.com/books_api.json")
        const prism = yield* startPrism(specPath)
        const report = yield* runAgainst(prism.baseUrl, specPath, credentialsFor(readDocument(specPath)))
        const repeated = report.findings.filter(
          (finding) => (finding.request.url.match(/[?&]api-key=/g) ?? []).length > 1
        )
        expect(repeated.map(describeFinding)).toEqual([])
        // Prism checks that a credential is present, not its value, so `auth.invalid` is accepted
        // there by design; a request with no credential at all must still be refused.
        const ignored = report.findings.filter(
          (finding) => finding.check === "ignored_auth" && finding.provenance.rule === "auth.none"
        )
        expect(ignored.map(describeFinding)).toEqual([])
      }),
    60_000
  )
})
