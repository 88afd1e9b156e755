/**
 * The whole run, through the Promise facade, against the sample API. With its planted bugs on, each
 * bug is reported by the check the sample's README names. With them off, nothing is reported.
 */
import { fileURLToPath } from "node:url"
import { Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type SampleApi, startSampleApi } from "../../../../examples/sample-api/src/server.js"
import { run } from "../../src/facade.js"
import { toJsonReport } from "../../src/report/index.js"
import type { RunReport } from "../../src/run/Run.js"

const specPath = fileURLToPath(new URL("../../../../examples/sample-api/openapi.yaml", import.meta.url))

const credentials = {
  bearer: Redacted.make("demo-token"),
  apiKeys: { adminKey: Redacted.make("demo-admin") }
}

const runAgainst = (api: SampleApi) =>
  run({ spec: specPath, baseUrl: api.baseUrl, seed: 7, maxResponseTimeMs: 1_000, credentials })

const describeFindings = (report: RunReport): string =>
  report.findings
    .map(
      (finding) =>
        `${finding.check} ${finding.operationId} x${finding.count}: ${finding.message} [${finding.request.method} ${finding.request.url} -> ${finding.response?.status ?? "no response"}]`
    )
    .join("\n") || "(no findings)"

// Planted bug, operation, and the check that the sample API's README names for it.
const plantedBugs = [
  { bug: 1, operationId: "listPets", check: "not_a_server_error" },
  { bug: 2, operationId: "listOrders", check: "status_code_conformance" },
  { bug: 3, operationId: "createPet", check: "response_schema_conformance" },
  { bug: 4, operationId: "createOrder", check: "negative_data_rejection" },
  { bug: 5, operationId: "updatePet", check: "ignored_auth" },
  { bug: 6, operationId: "getPet", check: "use_after_free" },
  { bug: 7, operationId: "searchPets", check: "max_response_time" },
  { bug: 8, operationId: "getOrder", check: "content_type_conformance" }
] as const

describe("sample API with planted bugs", () => {
  let api: SampleApi
  let report: RunReport

  beforeAll(async () => {
    api = await startSampleApi({ port: 0, bugs: true })
    report = await runAgainst(api)
  }, 30_000)
  afterAll(() => api?.close())

  it("run completes with status failed", () => {
    expect(report.run.status).toBe("failed")
    expect(report.summary.steps).toBeGreaterThan(0)
    expect(report.summary.failedRequests).toBe(0)
  })

  for (const planted of plantedBugs) {
    it(`bug ${planted.bug} found by ${planted.check}`, () => {
      const found = report.findings.filter(
        (finding) => finding.check === planted.check && finding.operationId === planted.operationId
      )
      expect(
        found.length,
        `no ${planted.check} finding on ${planted.operationId}; the run reported:\n${describeFindings(report)}`
      ).toBeGreaterThan(0)
    })
  }

  it("nothing beyond planted bugs", () => {
    // Orders are created before they are listed, so the order bug 4 accepted with a quantity above 10
    // is then served by listOrders against the maximum: a later symptom of the same bug.
    const symptoms = [{ bug: 4, operationId: "listOrders", check: "response_schema_conformance" }]
    const planted = new Set([...plantedBugs, ...symptoms].map((bug) => `${bug.check} ${bug.operationId}`))
    const plantedFindings = report.findings.filter((finding) =>
      planted.has(`${finding.check} ${finding.operationId}`)
    )
    // Another check failing on the very step that shows a planted bug is a second symptom of that bug,
    // such as the 201 body that echoes the accepted quantity 11 (bug 4) against a maximum of 10.
    const plantedSteps = new Set(plantedFindings.map((finding) => `${finding.scenarioId} ${finding.stepId}`))
    const extra = report.findings.filter(
      (finding) =>
        !planted.has(`${finding.check} ${finding.operationId}`) &&
        !plantedSteps.has(`${finding.scenarioId} ${finding.stepId}`)
    )
    expect(extra.map((finding) => `${finding.check} ${finding.operationId}: ${finding.message}`)).toEqual([])
  })

  it("flow findings list the steps before", () => {
    const deleted = report.findings.find((finding) => finding.check === "use_after_free")
    const steps = deleted?.stepsBefore ?? []
    expect(steps.map((step) => step.request.method)).toEqual(["POST", "DELETE"])
    expect(steps.map((step) => step.status)).toEqual([201, 204])
    for (const step of steps) expect(step.curl).toContain(step.request.url)
    const json = JSON.parse(toJsonReport(report)) as {
      findings: Array<{ check: string; stepsBefore?: unknown }>
    }
    const entry = json.findings.find((finding) => finding.check === "use_after_free")
    expect(entry?.stepsBefore).toEqual(
      steps.map((step) => ({
        method: step.request.method,
        url: step.request.url,
        status: step.status,
        curl: step.curl
      }))
    )
  })

  it("findings carry evidence", () => {
    for (const finding of report.findings) {
      expect(finding.request.url.startsWith(api.baseUrl), finding.id).toBe(true)
      expect(finding.curl, finding.id).toContain(finding.request.url)
      expect(finding.count, finding.id).toBeGreaterThan(0)
    }
  })
})

describe("sample API without bugs", () => {
  let api: SampleApi
  let report: RunReport

  beforeAll(async () => {
    api = await startSampleApi({ port: 0, bugs: false })
    report = await runAgainst(api)
  }, 30_000)
  afterAll(() => api?.close())

  it("run reports no findings", () => {
    expect(report.findings, describeFindings(report)).toHaveLength(0)
    expect(report.run.status).toBe("passed")
  })

  it("every operation is reached", () => {
    const unreached = report.coverage.filter((entry) => entry.statusesSeen.length === 0)
    expect(unreached.map((entry) => entry.operationId)).toEqual([])
    expect(report.summary.operations).toBe(10)
  })
})
