/**
 * A run with the generators its configuration selects: the schema generator alone, or with the AI
 * generator behind an OpenAI-compatible model. The model never decides whether a run can finish: an
 * operation whose model call fails gets schema scenarios.
 */
import { Effect, Redacted } from "effect"
import * as OpenAiLanguageModel from "../ai/OpenAiLanguageModel.js"
import { makeAiGenerator } from "../generate/ai/AiGenerator.js"
import { combineGenerators } from "../generate/ai/hybrid.js"
import type { ScenarioGenerator } from "../generate/Generator.js"
import { SchemaGenerator } from "../generate/index.js"
import type { AiConfig, RunConfig } from "./RunConfig.js"
import { RunError } from "./RunError.js"
import { runPipeline } from "./runPipeline.js"

/** Uses the AI generator's scenarios, or the schema generator's when the model gave none for an operation. */
const withSchemaFallback = <R>(ai: ScenarioGenerator<never, R>): ScenarioGenerator<never, R> => ({
  name: "ai",
  forOperation: (spec, operation, options) =>
    Effect.flatMap(ai.forOperation(spec, operation, options), (generated) =>
      generated.scenarios.length > 0
        ? Effect.succeed(generated)
        : Effect.map(SchemaGenerator.forOperation(spec, operation, options), (fallback) => ({
            scenarios: fallback.scenarios,
            notes: [...generated.notes, ...fallback.notes]
          }))
    ),
  flows: (spec, options) =>
    Effect.flatMap(ai.flows(spec, options), (generated) =>
      generated.scenarios.length > 0 ? Effect.succeed(generated) : SchemaGenerator.flows(spec, options)
    )
})

const modelLayer = (ai: AiConfig) =>
  OpenAiLanguageModel.layer({
    baseUrl: ai.baseUrl,
    apiKey: Redacted.isRedacted(ai.apiKey) ? ai.apiKey : Redacted.make(ai.apiKey),
    model: ai.model,
    ...(ai.mode === undefined ? {} : { mode: ai.mode }),
    ...(ai.headers === undefined ? {} : { headers: ai.headers }),
    ...(ai.callTimeoutMs === undefined ? {} : { timeoutMs: ai.callTimeoutMs })
  })

/** Runs the tests of one spec against one target and returns the report. */
export const runTests = Effect.fn("Pipeline.runTests")(function* (config: RunConfig) {
  const generators = new Set(config.generators ?? (config.ai === undefined ? ["schema"] : ["schema", "ai"]))
  if (generators.size === 0) {
    return yield* new RunError({
      reason: "InvalidConfig",
      message: "no generator selected; use schema, ai or both"
    })
  }
  if (!generators.has("ai")) return yield* runPipeline(config)
  const ai = config.ai
  if (ai === undefined) {
    return yield* new RunError({
      reason: "InvalidConfig",
      message:
        "the ai generator needs a model: set --ai-base-url and --ai-model (and the key in OPENAI_API_KEY or QAWAVE_AI_API_KEY)"
    })
  }
  const aiGenerator = yield* makeAiGenerator(ai)
  const generator = generators.has("schema")
    ? combineGenerators(SchemaGenerator, aiGenerator)
    : withSchemaFallback(aiGenerator)
  return yield* runPipeline(config, { generator, aiUsage: aiGenerator.report() }).pipe(
    Effect.provide(modelLayer(ai))
  )
})
