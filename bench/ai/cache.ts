/**
 * Model calls on a second run of an unchanged spec: two AI generators, one after the other, share one
 * `ScenarioCache` and one seed, as two runs of one process would. The requests are counted where they
 * arrive, at the local model server with its built-in model.
 */
import {
  loadSpec,
  makeAiGenerator,
  OpenAiLanguageModel,
  RateLimiter,
  ScenarioCache,
  SpecCache
} from "@qawave/core"
import { startModelServer } from "@qawave/core/model-server"
import { Effect, Layer, Redacted } from "effect"
import { uncappedRateLimits } from "./throughput.js"

/** Model requests and generator counts of each run. */
export interface CacheOutcome {
  readonly operations: number
  readonly firstRunCalls: number
  readonly secondRunCalls: number
  readonly firstRunScenarios: number
  readonly secondRunScenarios: number
  readonly secondRunCacheHits: number
}

const chatRequests = (requests: ReadonlyArray<{ readonly path: string }>): number =>
  requests.filter((request) => request.path.endsWith("/chat/completions")).length

/** Generates scenarios for every operation and every resource's flows of `file`, twice. */
export const measureCache = async (file: string): Promise<CacheOutcome> => {
  const server = await startModelServer({ port: 0 })
  try {
    const model = "qawave-local"
    const layer = Layer.mergeAll(
      OpenAiLanguageModel.layer({ baseUrl: server.baseUrl, apiKey: Redacted.make("local-benchmark"), model }),
      RateLimiter.layerMemory,
      ScenarioCache.layerMemory(),
      SpecCache.layerMemory({ capacity: 4, ttl: "1 hour" })
    )
    const options = { seed: 1, maxScenariosPerOperation: 5 }
    return await Effect.runPromise(
      Effect.gen(function* () {
        const spec = yield* loadSpec(file)
        const generateAll = Effect.gen(function* () {
          const generator = yield* makeAiGenerator({ model, ...uncappedRateLimits })
          const perOperation = yield* Effect.forEach(
            spec.operations,
            (operation) => generator.forOperation(spec, operation, options),
            { concurrency: "unbounded" }
          )
          const flows = yield* generator.flows(spec, options)
          const usage = yield* generator.usage()
          const scenarios = perOperation.reduce((total, part) => total + part.scenarios.length, 0)
          return { scenarios: scenarios + flows.scenarios.length, cacheHits: usage.cacheHits }
        })
        const first = yield* generateAll
        const firstRunCalls = chatRequests(server.requests)
        const second = yield* generateAll
        return {
          operations: spec.operations.length,
          firstRunCalls,
          secondRunCalls: chatRequests(server.requests) - firstRunCalls,
          firstRunScenarios: first.scenarios,
          secondRunScenarios: second.scenarios,
          secondRunCacheHits: second.cacheHits
        }
      }).pipe(Effect.provide(layer))
    )
  } finally {
    await server.close()
  }
}
