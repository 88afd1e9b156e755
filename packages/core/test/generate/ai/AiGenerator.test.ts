import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, TestClock } from "effect"
import { type CompletionRequest, LanguageModel, LanguageModelError } from "../../../src/ai/LanguageModel.js"
import {
  type AiGeneratorServices,
  type AiGeneratorSettings,
  budgetReached,
  credentialsRejected,
  makeAiGenerator
} from "../../../src/generate/ai/index.js"
import { RateLimiter } from "../../../src/ports/RateLimiter.js"
import { ScenarioCache } from "../../../src/ports/ScenarioCache.js"
import {
  answerScenario,
  completion,
  createPet,
  generateOptions,
  getPet,
  listPets,
  makeOperation,
  scriptedModel,
  spec
} from "./fixture.js"

const goodAnswer = {
  scenarios: [
    answerScenario({
      operationId: "listPets",
      request: { pathParams: [], query: [{ name: "limit", value: "3" }], headers: [], body: null },
      assertions: [{ rule: "At most 3 pets", expression: "len($.body) <= 3" }]
    }),
    answerScenario({
      operationId: "listPets",
      intent: "invalid",
      expect: "4xx",
      description: "Rejects a limit above 100",
      specText: "maximum: 100",
      request: { pathParams: [], query: [{ name: "limit", value: "101" }], headers: [], body: null }
    })
  ]
}

/** A scripted answer that fits any operation: one valid scenario without parameters. */
const answerFor = (request: CompletionRequest) => {
  const operationId = /^operationId: (\S+)$/m.exec(request.messages[1]?.content ?? "")?.[1] ?? "unknown"
  return Effect.succeed(completion({ scenarios: [answerScenario({ operationId, intent: "edge_case" })] }))
}

const provide = <A>(
  effect: Effect.Effect<A, never, AiGeneratorServices>,
  answer: (request: CompletionRequest) => Effect.Effect<ReturnType<typeof completion>, LanguageModelError>
) =>
  Effect.provide(
    effect,
    Layer.mergeAll(LanguageModel.layerScripted(answer), RateLimiter.layerMemory, ScenarioCache.layerMemory())
  )

const settings: AiGeneratorSettings = { model: "test-model" }

/** Lets forked fibers run until they wait on the test clock. */
const flush = Effect.repeatN(Effect.yieldNow(), 50)

const modelError = (reason: LanguageModelError["reason"], fields: Partial<LanguageModelError> = {}) =>
  Effect.fail(new LanguageModelError({ reason, message: `scripted ${reason}`, ...fields }))

describe("makeAiGenerator", () => {
  it.effect("generates scenarios from one call", () => {
    const model = scriptedModel([() => Effect.succeed(completion(goodAnswer, 1_000, 500))])
    return provide(
      Effect.gen(function* () {
        const generator = yield* makeAiGenerator({
          ...settings,
          prices: { promptPerMillion: 2, completionPerMillion: 8 }
        })
        const result = yield* generator.forOperation(spec, listPets, generateOptions)
        expect(result.scenarios.map((scenario) => scenario.provenance.rule)).toEqual([
          "ai.valid",
          "ai.invalid"
        ])
        expect(result.scenarios[1]?.steps[0]?.request.query).toEqual({ limit: 101 })
        const usage = yield* generator.usage()
        expect(usage).toEqual({
          calls: 1,
          cacheHits: 0,
          promptTokens: 1_000,
          completionTokens: 500,
          estimatedCost: (1_000 * 2 + 500 * 8) / 1_000_000,
          fallbacks: 0
        })
        expect(model.requests[0]?.schema.name).toBe("qawave_scenarios")
        expect(model.requests[0]?.messages[1]?.content).toContain("Write 5 test scenarios")
      }),
      model.answer
    )
  })

  it.effect("asks again once with the validation error", () => {
    const model = scriptedModel([
      () => Effect.succeed({ ...completion({ scenarios: "none" }), raw: '{"scenarios":"none"}' }),
      () => Effect.succeed(completion(goodAnswer))
    ])
    return provide(
      Effect.gen(function* () {
        const generator = yield* makeAiGenerator(settings)
        const result = yield* generator.forOperation(spec, listPets, generateOptions)
        expect(result.scenarios.length).toBe(2)
        const second = model.requests[1]?.messages ?? []
        expect(second.length).toBe(4)
        expect(second[2]).toEqual({ role: "assistant", content: '{"scenarios":"none"}' })
        expect(second[3]?.role).toBe("user")
        expect(second[3]?.content).toContain('does not match the schema "qawave_scenarios"')
        const report = yield* generator.report()
        expect(report.calls).toBe(2)
        expect(report.failures.invalidAnswers).toBe(1)
        expect(report.failures.retries).toBe(1)
        expect(report.fallbacks).toBe(0)
      }),
      model.answer
    )
  })

  it.effect("feeds back invalid JSON text", () => {
    const model = scriptedModel([
      () => modelError("InvalidJson", { raw: "{not json" }),
      () => Effect.succeed(completion(goodAnswer))
    ])
    return provide(
      Effect.gen(function* () {
        const generator = yield* makeAiGenerator(settings)
        yield* generator.forOperation(spec, listPets, generateOptions)
        const second = model.requests[1]?.messages ?? []
        expect(second[2]?.content).toBe("{not json")
        expect(second[3]?.content).toContain("scripted InvalidJson")
      }),
      model.answer
    )
  })

  it.effect("falls back after a second unusable answer", () => {
    const model = scriptedModel([() => modelError("SchemaMismatch", { raw: "[]" })])
    return provide(
      Effect.gen(function* () {
        const generator = yield* makeAiGenerator(settings)
        const result = yield* generator.forOperation(spec, listPets, generateOptions)
        expect(result.scenarios).toEqual([])
        expect(result.notes[0]?.message).toContain("fell back to schema scenarios")
        const report = yield* generator.report()
        expect(report.calls).toBe(2)
        expect(report.fallbacks).toBe(1)
        expect(report.failures.invalidAnswers).toBe(2)
      }),
      model.answer
    )
  })

  it.effect("stops at the token budget", () => {
    const model = scriptedModel([answerFor])
    return provide(
      Effect.gen(function* () {
        // Each call reports 100 prompt and 50 completion tokens, so two calls reach 300.
        const generator = yield* makeAiGenerator({ ...settings, maxTokens: 300 })
        const results = yield* Effect.forEach([listPets, createPet, getPet], (operation) =>
          generator.forOperation(spec, operation, generateOptions)
        )
        expect(results.map((result) => result.scenarios.length)).toEqual([1, 1, 0])
        expect(results[2]?.notes[0]?.message).toContain(budgetReached)
        const usage = yield* generator.usage()
        expect(usage.calls).toBe(2)
        expect(usage.stoppedReason).toBe("budget reached")
        expect(usage.fallbacks).toBe(1)
        expect(model.requests.length).toBe(2)
      }),
      model.answer
    )
  })

  it.effect("stops at the cost budget", () => {
    const model = scriptedModel([answerFor])
    return provide(
      Effect.gen(function* () {
        // One call costs (100 * 10 + 50 * 20) / 1e6 = 0.002.
        const generator = yield* makeAiGenerator({
          ...settings,
          maxCost: 0.002,
          prices: { promptPerMillion: 10, completionPerMillion: 20 }
        })
        yield* Effect.forEach([listPets, createPet], (operation) =>
          generator.forOperation(spec, operation, generateOptions)
        )
        const usage = yield* generator.usage()
        expect(usage.calls).toBe(1)
        expect(usage.stoppedReason).toBe(budgetReached)
      }),
      model.answer
    )
  })

  it.effect("waits for Retry-After on a 429", () => {
    const model = scriptedModel([
      () => modelError("RateLimited", { retryAfterMs: 5_000 }),
      () => Effect.succeed(completion(goodAnswer))
    ])
    return provide(
      Effect.gen(function* () {
        const generator = yield* makeAiGenerator(settings)
        const fiber = yield* Effect.fork(generator.forOperation(spec, listPets, generateOptions))
        yield* flush
        yield* TestClock.adjust(4_999)
        yield* flush
        expect(model.requests.length).toBe(1)
        yield* TestClock.adjust(1)
        const result = yield* Fiber.join(fiber)
        expect(model.requests.length).toBe(2)
        expect(result.scenarios.length).toBe(2)
        const report = yield* generator.report()
        expect(report.failures.rateLimited).toBe(1)
        expect(report.failures.retries).toBe(1)
      }),
      model.answer
    )
  })

  it.effect("caps a long Retry-After", () => {
    const model = scriptedModel([
      () => modelError("RateLimited", { retryAfterMs: 3_600_000 }),
      () => Effect.succeed(completion(goodAnswer))
    ])
    return provide(
      Effect.gen(function* () {
        const generator = yield* makeAiGenerator({ ...settings, maxRetryAfterMs: 10_000 })
        const fiber = yield* Effect.fork(generator.forOperation(spec, listPets, generateOptions))
        yield* flush
        yield* TestClock.adjust(10_000)
        yield* Fiber.join(fiber)
        expect(model.requests.length).toBe(2)
      }),
      model.answer
    )
  })

  it.effect("backs off on server errors, then falls back", () => {
    const model = scriptedModel([() => modelError("ServerError", { status: 503 })])
    return provide(
      Effect.gen(function* () {
        const generator = yield* makeAiGenerator({ ...settings, backoffMs: 500 })
        const fiber = yield* Effect.fork(generator.forOperation(spec, listPets, generateOptions))
        yield* flush
        expect(model.requests.length).toBe(1)
        yield* TestClock.adjust(500)
        yield* flush
        expect(model.requests.length).toBe(2)
        yield* TestClock.adjust(999)
        yield* flush
        expect(model.requests.length).toBe(2)
        yield* TestClock.adjust(1)
        const result = yield* Fiber.join(fiber)
        expect(result.scenarios).toEqual([])
        const report = yield* generator.report()
        expect(report.calls).toBe(3)
        expect(report.failures.serverErrors).toBe(3)
        expect(report.fallbacks).toBe(1)
      }),
      model.answer
    )
  })

  it.effect("times out a model call", () => {
    const model = scriptedModel([() => Effect.never])
    return provide(
      Effect.gen(function* () {
        const generator = yield* makeAiGenerator({ ...settings, callTimeoutMs: 1_000, transientRetries: 0 })
        const fiber = yield* Effect.fork(generator.forOperation(spec, listPets, generateOptions))
        yield* flush
        yield* TestClock.adjust(1_000)
        const result = yield* Fiber.join(fiber)
        expect(result.scenarios).toEqual([])
        expect(result.notes[0]?.message).toContain("did not return within 1000 ms")
        const report = yield* generator.report()
        expect(report.failures.timeouts).toBe(1)
        expect(report.fallbacks).toBe(1)
      }),
      model.answer
    )
  })

  it.effect("stops calling after rejected credentials", () => {
    const model = scriptedModel([() => modelError("Unauthorized", { status: 401 })])
    return provide(
      Effect.gen(function* () {
        const generator = yield* makeAiGenerator(settings)
        yield* generator.forOperation(spec, listPets, generateOptions)
        const second = yield* generator.forOperation(spec, createPet, generateOptions)
        expect(second.notes[0]?.message).toContain(credentialsRejected)
        const usage = yield* generator.usage()
        expect(usage.calls).toBe(1)
        expect(usage.stoppedReason).toBe(credentialsRejected)
        expect(usage.fallbacks).toBe(2)
      }),
      model.answer
    )
  })

  it.effect("serves an unchanged operation from the cache", () => {
    const model = scriptedModel([() => Effect.succeed(completion(goodAnswer))])
    return provide(
      Effect.gen(function* () {
        const first = yield* makeAiGenerator(settings)
        const generated = yield* first.forOperation(spec, listPets, generateOptions)
        const again = yield* first.forOperation(spec, listPets, generateOptions)
        expect(again.scenarios).toEqual(generated.scenarios)

        const second = yield* makeAiGenerator(settings)
        const rerun = yield* second.forOperation(spec, listPets, generateOptions)
        expect(rerun.scenarios).toEqual(generated.scenarios)
        expect(model.requests.length).toBe(1)
        expect((yield* first.usage()).cacheHits).toBe(1)
        expect(yield* second.usage()).toMatchObject({ calls: 0, cacheHits: 1 })

        const changed = makeOperation({ ...listPets, fingerprint: "changed" })
        yield* second.forOperation(spec, changed, generateOptions)
        yield* second.forOperation(spec, listPets, { ...generateOptions, seed: 8 })
        expect(model.requests.length).toBe(3)
      }),
      model.answer
    )
  })

  it.effect("keeps model calls under the concurrency limit", () => {
    let inFlight = 0
    let maxInFlight = 0
    const answer = (request: CompletionRequest) =>
      Effect.acquireUseRelease(
        Effect.sync(() => {
          inFlight++
          maxInFlight = Math.max(maxInFlight, inFlight)
        }),
        () => Effect.zipRight(Effect.sleep(1_000), answerFor(request)),
        () => Effect.sync(() => inFlight--)
      )
    return provide(
      Effect.gen(function* () {
        const generator = yield* makeAiGenerator({ ...settings, maxConcurrentCalls: 2 })
        const operations = [0, 1, 2, 3, 4].map((index) =>
          makeOperation({ id: `op${index}`, method: "get", path: `/op${index}` })
        )
        const fiber = yield* Effect.fork(
          Effect.forEach(
            operations,
            (operation) => generator.forOperation(spec, operation, generateOptions),
            {
              concurrency: "unbounded"
            }
          )
        )
        yield* flush
        yield* TestClock.adjust(3_000)
        const results = yield* Fiber.join(fiber)
        expect(results.map((result) => result.scenarios.length)).toEqual([1, 1, 1, 1, 1])
        expect(maxInFlight).toBe(2)
      }),
      answer
    )
  })

  it.effect("waits for the requests-per-minute limit", () => {
    const model = scriptedModel([answerFor])
    return provide(
      Effect.gen(function* () {
        const generator = yield* makeAiGenerator({ ...settings, requestsPerMinute: 2 })
        const fiber = yield* Effect.fork(
          Effect.forEach([listPets, createPet, getPet], (operation) =>
            generator.forOperation(spec, operation, generateOptions)
          )
        )
        yield* flush
        expect(model.requests.length).toBe(2)
        yield* TestClock.adjust(30_000)
        yield* Fiber.join(fiber)
        expect(model.requests.length).toBe(3)
      }),
      model.answer
    )
  })
})
