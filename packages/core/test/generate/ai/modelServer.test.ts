/** The AI generator with the real `openai` client against the local OpenAI-compatible server. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import * as OpenAiLanguageModel from "../../../src/ai/OpenAiLanguageModel.js"
import { makeAiGenerator } from "../../../src/generate/ai/index.js"
import {
  type ChatRequest,
  type ModelServerOptions,
  startModelServer
} from "../../../src/model-server/index.js"
import { RateLimiter } from "../../../src/ports/RateLimiter.js"
import { ScenarioCache } from "../../../src/ports/ScenarioCache.js"
import { answerScenario, createPet, generateOptions, listPets, spec } from "./fixture.js"

const modelServer = (options: ModelServerOptions = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => startModelServer(options)),
    (server) => Effect.promise(() => server.close())
  )

const servicesFor = (baseUrl: string) =>
  Layer.mergeAll(
    OpenAiLanguageModel.layer({
      baseUrl,
      apiKey: Redacted.make("sk-test"),
      model: "qawave-local",
      mode: "json_schema"
    }),
    RateLimiter.layerMemory,
    ScenarioCache.layerMemory()
  )

const userText = (request: ChatRequest): string => {
  const content = request.messages.find((message) => message.role === "user")?.content
  return typeof content === "string" ? content : ""
}

/** Answers like a model that read the prompt: one valid and one invalid scenario for the operation it names. */
const script = (request: ChatRequest) => {
  const operationId = /^operationId: (\S+)$/m.exec(userText(request))?.[1] ?? "unknown"
  return {
    json: {
      scenarios: [
        answerScenario({
          operationId,
          request: { pathParams: [], query: [{ name: "limit", value: "2" }], headers: [], body: null },
          assertions: [{ rule: "At most 2 pets", expression: "len($.body) <= 2" }]
        }),
        answerScenario({
          operationId,
          intent: "invalid",
          expect: "4xx",
          request: { pathParams: [], query: [{ name: "limit", value: "0" }], headers: [], body: null }
        })
      ]
    }
  }
}

describe("AI generator with the local model server", () => {
  it.live("generates through the openai client", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ script })
      const result = yield* Effect.gen(function* () {
        const generator = yield* makeAiGenerator({ model: "qawave-local" })
        const generated = yield* generator.forOperation(spec, listPets, generateOptions)
        const again = yield* generator.forOperation(spec, listPets, generateOptions)
        return { generated, again, usage: yield* generator.usage() }
      }).pipe(Effect.provide(servicesFor(server.baseUrl)))

      expect(result.generated.scenarios.map((scenario) => scenario.provenance.rule)).toEqual([
        "ai.valid",
        "ai.invalid"
      ])
      expect(result.generated.scenarios[0]?.provenance.model).toBe("qawave-local")
      expect(result.generated.scenarios[0]?.provenance.promptHash).toMatch(/^[0-9a-f]{64}$/)
      expect(result.again.scenarios).toEqual(result.generated.scenarios)
      expect(result.usage.calls).toBe(1)
      expect(result.usage.cacheHits).toBe(1)
      expect(result.usage.promptTokens).toBeGreaterThan(0)
      expect(result.usage.completionTokens).toBeGreaterThan(0)

      expect(server.requests.length).toBe(1)
      const body = server.requests[0]?.body
      expect(body?.response_format).toMatchObject({
        type: "json_schema",
        json_schema: { name: "qawave_scenarios" }
      })
      expect(userText(body as ChatRequest)).toContain("\nGET /pets\noperationId: listPets\n")
      expect(userText(body as ChatRequest)).not.toContain("/trees")
    }).pipe(Effect.scoped)
  )

  it.live("falls back after invalid JSON twice", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: { name: "invalid_json", times: 2 } })
      const result = yield* Effect.gen(function* () {
        const generator = yield* makeAiGenerator({ model: "qawave-local" })
        const failed = yield* generator.forOperation(spec, listPets, generateOptions)
        // The fault is used up, so the next operation gets an answer from the built-in model.
        const next = yield* generator.forOperation(spec, createPet, generateOptions)
        return { failed, next, report: yield* generator.report() }
      }).pipe(Effect.provide(servicesFor(server.baseUrl)))

      expect(result.failed.scenarios).toEqual([])
      expect(result.failed.notes[0]?.message).toContain("fell back to schema scenarios")
      expect(result.report.failures.invalidAnswers).toBe(2)
      expect(result.report.fallbacks).toBe(1)
      expect(result.report.calls).toBe(3)
      expect(server.requests.length).toBe(3)
      const retry = server.requests[1]?.body?.messages ?? []
      expect(retry.length).toBe(4)
      expect(String(retry[3]?.content)).toContain("not valid JSON")
      expect(result.next.notes.some((note) => note.message.includes("fell back"))).toBe(false)
    }).pipe(Effect.scoped)
  )

  it.live("retries after a 429 from the server", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({
        script,
        fault: { name: "rate_limit", times: 1, retryAfterSeconds: 1 }
      })
      const result = yield* Effect.gen(function* () {
        const generator = yield* makeAiGenerator({ model: "qawave-local" })
        const generated = yield* generator.forOperation(spec, listPets, generateOptions)
        return { generated, report: yield* generator.report() }
      }).pipe(Effect.provide(servicesFor(server.baseUrl)))

      expect(result.generated.scenarios.length).toBe(2)
      expect(result.report.failures.rateLimited).toBe(1)
      expect(server.requests.length).toBe(2)
    }).pipe(Effect.scoped)
  )

  it.live("never fails with the built-in model", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const result = yield* Effect.gen(function* () {
        const generator = yield* makeAiGenerator({ model: "qawave-local" })
        const generated = yield* Effect.forEach(spec.operations, (operation) =>
          generator.forOperation(spec, operation, generateOptions)
        )
        return { generated, report: yield* generator.report() }
      }).pipe(Effect.provide(servicesFor(server.baseUrl)))

      const scenarios = result.generated.flatMap((part) => part.scenarios)
      expect(result.report.calls).toBe(spec.operations.length)
      expect(result.report.fallbacks).toBe(0)
      expect(result.report.acceptance.scenariosAccepted).toBe(scenarios.length)
      expect(result.report.acceptance.scenariosReceived).toBeGreaterThanOrEqual(scenarios.length)
      for (const scenario of scenarios) {
        expect(scenario.provenance.generator).toBe("ai")
        expect(spec.operations.map((operation) => operation.id)).toContain(scenario.operationIds[0])
      }
    }).pipe(Effect.scoped)
  )

  it.live("writes flows with the built-in model", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const result = yield* Effect.gen(function* () {
        const generator = yield* makeAiGenerator({ model: "qawave-local" })
        const flows = yield* generator.flows(spec, generateOptions)
        return { flows, report: yield* generator.report() }
      }).pipe(Effect.provide(servicesFor(server.baseUrl)))

      expect(result.report.calls).toBe(1)
      expect(result.report.fallbacks).toBe(0)
      expect(result.report.acceptance.scenariosAccepted).toBe(result.flows.scenarios.length)
      expect(server.requests[0]?.body?.response_format).toMatchObject({
        json_schema: { name: "qawave_flows" }
      })
    }).pipe(Effect.scoped)
  )
})
