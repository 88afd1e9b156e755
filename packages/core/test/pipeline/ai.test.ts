/**
 * Runs with the AI generator through the Promise facade, against the sample API and the local
 * OpenAI-compatible model server. They cover usage in the summary, the process-wide scenario cache,
 * the fallback to schema scenarios when the model fails, and the error for `ai` without a model.
 */
import { fileURLToPath } from "node:url"
import { Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type SampleApi, startSampleApi } from "../../../../examples/sample-api/src/server.js"
import { run } from "../../src/facade.js"
import { type ModelServer, startModelServer } from "../../src/model-server/index.js"
import type { RunConfig } from "../../src/pipeline/RunConfig.js"
import { RunError } from "../../src/pipeline/RunError.js"

const specPath = fileURLToPath(new URL("../../../../examples/sample-api/openapi.yaml", import.meta.url))

const credentials = {
  bearer: Redacted.make("demo-token"),
  apiKeys: { adminKey: Redacted.make("demo-admin") }
}

const chatRequests = (server: ModelServer) =>
  server.requests.filter((request) => request.path === "/v1/chat/completions").length

describe("run with the AI generator", () => {
  let api: SampleApi
  let model: ModelServer
  let failingModel: ModelServer

  beforeAll(async () => {
    api = await startSampleApi({ port: 0, bugs: true })
    model = await startModelServer({ port: 0 })
    failingModel = await startModelServer({ port: 0, fault: "server_error" })
  })
  afterAll(async () => {
    await api?.close()
    await model?.close()
    await failingModel?.close()
  })

  const config = (baseUrl: string, seed: number): RunConfig => ({
    spec: specPath,
    baseUrl: api.baseUrl,
    seed,
    credentials,
    ai: { baseUrl, apiKey: Redacted.make("k"), model: "qawave-local" }
  })

  it("summary counts model calls, then cache hits", async () => {
    const first = await run(config(model.baseUrl, 101))

    expect(first.summary.ai, "summary.ai is missing").toBeDefined()
    expect(first.summary.ai?.calls).toBeGreaterThan(0)
    expect(first.summary.ai?.calls).toBe(chatRequests(model))
    expect(first.summary.ai?.fallbacks).toBe(0)
    expect(first.summary.ai?.acceptance?.scenariosReceived).toBeGreaterThan(0)
    expect(first.summary.scenarios).toBeGreaterThan(0)
    expect(first.run.status).not.toBe("errored")

    const callsBefore = chatRequests(model)
    const second = await run(config(model.baseUrl, 101))

    expect(second.summary.ai?.calls).toBe(0)
    expect(second.summary.ai?.cacheHits).toBeGreaterThan(0)
    expect(chatRequests(model)).toBe(callsBefore)
    expect(second.summary.scenarios).toBe(first.summary.scenarios)
  })

  it("takes the model key as plain text", async () => {
    const keyed = await startModelServer({ port: 0, apiKey: "plain-model-key" })
    try {
      const report = await run({
        ...config(keyed.baseUrl, 404),
        ai: { baseUrl: keyed.baseUrl, apiKey: "plain-model-key", model: "qawave-local" }
      })

      expect(report.summary.ai?.calls).toBeGreaterThan(0)
      expect(report.summary.ai?.fallbacks).toBe(0)
    } finally {
      await keyed.close()
    }
  })

  it("filtered run asks only about its operations", async () => {
    const fresh = await startModelServer({ port: 0 })
    try {
      const report = await run({ ...config(fresh.baseUrl, 303), filter: { operationIds: ["getPet"] } })
      const prompts = fresh.requests.map((request) => JSON.stringify(request.body ?? ""))

      expect(report.coverage.map((entry) => entry.operationId)).toEqual(["getPet"])
      expect(prompts.length).toBeGreaterThan(0)
      for (const prompt of prompts) expect(prompt).not.toMatch(/createPet|listOrders|createOrder/)
      expect(report.notes.filter((note) => !note.startsWith("getPet"))).toEqual([])
    } finally {
      await fresh.close()
    }
  })

  it("model failures fall back to schema scenarios", async () => {
    const report = await run(config(failingModel.baseUrl, 202))

    expect(report.run.status).toBe("failed")
    expect(report.summary.ai?.fallbacks).toBeGreaterThan(0)
    expect(report.summary.ai?.failures?.serverErrors).toBeGreaterThan(0)
    expect(chatRequests(failingModel)).toBeGreaterThan(0)
    expect(report.summary.steps).toBeGreaterThan(0)
    const schemaFindings = report.findings.filter((finding) => finding.provenance.generator === "schema")
    expect(schemaFindings.length).toBeGreaterThan(0)
  }, 60_000)

  it("ai generator without a model fails", async () => {
    const failure = await run({
      spec: specPath,
      baseUrl: api.baseUrl,
      generators: ["ai"]
    }).then(
      () => undefined,
      (error: unknown) => error
    )

    expect(failure).toBeInstanceOf(RunError)
    expect((failure as RunError).reason).toBe("InvalidConfig")
    expect((failure as RunError).message).toContain("ai generator")
  })
})
