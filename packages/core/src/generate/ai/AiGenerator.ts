/**
 * The AI generator: one call to an OpenAI-compatible model returns several scenarios for an
 * operation (or several flows for a resource), which are checked against the spec and cached by
 * the fingerprints of the operations involved. It never fails: a model failure, a stopped run or a
 * reached budget becomes a note and zero AI scenarios for that operation, and the pipeline then
 * relies on the schema generator alone.
 */
import { Effect, Either, Option, Schema } from "effect"
import type { LanguageModel } from "../../ai/LanguageModel.js"
import type { RateLimiter } from "../../ports/RateLimiter.js"
import { ScenarioCache } from "../../ports/ScenarioCache.js"
import type { AiUsage } from "../../run/Run.js"
import { canonicalJson, sha256 } from "../../spec/canonical.js"
import type { ApiSpec, Operation } from "../../spec/model.js"
import type { GeneratedScenarios, GenerateOptions, ScenarioGenerator } from "../Generator.js"
import { type Acceptance, type AnswerOrigin, acceptAnswer, compileValidators } from "./accept.js"
import { Answer, answerSchema, answerSchemaName } from "./answerSchema.js"
import { callModel, type OutputSpec } from "./call.js"
import {
  acceptFlows,
  buildFlowPrompt,
  FlowAnswer,
  flowAnswerSchema,
  flowAnswerSchemaName,
  type ResourceGroup,
  resourceGroups
} from "./flows.js"
import { buildPrompt, type Prompt, promptVersion } from "./prompt.js"
import { type AiGeneratorSettings, type ResolvedSettings, resolveSettings } from "./settings.js"
import { type AiUsageReport, makeUsageMeter } from "./usage.js"

/** Services the AI generator's effects need. */
export type AiGeneratorServices = LanguageModel | RateLimiter | ScenarioCache

/** A `ScenarioGenerator` named `ai`, with the run's model usage. */
export interface AiGenerator extends ScenarioGenerator<never, AiGeneratorServices> {
  /** Calls, cache hits, tokens, estimated cost and fallbacks so far, in the shape of a run summary. */
  readonly usage: () => Effect.Effect<AiUsage>
  /** `usage` with failures by kind and the counts of scenarios dropped or repaired. */
  readonly report: () => Effect.Effect<AiUsageReport>
}

/**
 * Returns the cache key of an operation's AI scenarios: a hash of its fingerprint and every setting
 * that changes the answer (model, prompt version, scenarios per call, schema depths, prompt limit, seed).
 */
export const scenarioCacheKey = (operation: Operation, settings: ResolvedSettings, seed: number): string =>
  `ai:${sha256(
    canonicalJson({
      fingerprint: operation.fingerprint,
      operationId: operation.id,
      model: settings.model,
      promptVersion,
      scenariosPerCall: settings.scenariosPerCall,
      schemaDepth: settings.schemaDepth,
      responseDepth: settings.responseDepth,
      maxPromptTokens: settings.maxPromptTokens,
      seed
    })
  )}`

/** One cached model call: for one operation, or for the flows of one resource. */
interface Job<A> {
  /** Operation id that notes are attached to. */
  readonly operationId: string
  /** What the job covers in messages, such as `operation listPets` or `flows of /pets`. */
  readonly subject: string
  readonly cacheKey: string
  readonly prompt: () => Prompt
  readonly output: OutputSpec<A>
  readonly accept: (answer: A, origin: AnswerOrigin) => Acceptance
  /** Prepares what `accept` needs; runs while the model call waits for its answer. */
  readonly prepare?: () => void
  readonly limit: number
}

const scenarioOutput: OutputSpec<Answer> = {
  name: answerSchemaName,
  schema: answerSchema,
  decode: Schema.decodeUnknownEither(Answer)
}

const flowOutput: OutputSpec<FlowAnswer> = {
  name: flowAnswerSchemaName,
  schema: flowAnswerSchema,
  decode: Schema.decodeUnknownEither(FlowAnswer)
}

/** Returns the cache key of a resource's AI flows: like `scenarioCacheKey`, over every operation of the group. */
export const flowCacheKey = (group: ResourceGroup, settings: ResolvedSettings, seed: number): string =>
  `ai-flows:${sha256(
    canonicalJson({
      resource: group.resource,
      operations: [...group.producers, ...group.consumers].map((operation) => [
        operation.id,
        operation.fingerprint
      ]),
      model: settings.model,
      promptVersion,
      scenariosPerCall: settings.scenariosPerCall,
      schemaDepth: settings.schemaDepth,
      responseDepth: settings.responseDepth,
      maxPromptTokens: settings.maxPromptTokens,
      seed
    })
  )}`

/** Builds an AI generator with its own usage accounting and call semaphore; see `AiGeneratorSettings`. */
export const makeAiGenerator = (input: AiGeneratorSettings): Effect.Effect<AiGenerator> =>
  Effect.gen(function* () {
    const settings = resolveSettings(input)
    const meter = yield* makeUsageMeter(settings)
    const semaphore = yield* Effect.makeSemaphore(settings.maxConcurrentCalls)

    const callAndAccept = <A>(job: Job<A>) =>
      Effect.gen(function* () {
        const prompt = job.prompt()
        const context = { settings, meter, semaphore, operationId: job.operationId }
        // The forked preparation runs as soon as this fiber waits for the model, not after the answer.
        if (job.prepare !== undefined) yield* Effect.fork(Effect.sync(job.prepare))
        const result = yield* callModel(context, prompt.messages, job.output)
        if (Either.isLeft(result)) {
          yield* meter.recordFallback
          yield* Effect.logWarning("AI generation fell back to schema scenarios").pipe(
            Effect.annotateLogs({
              operationId: job.operationId,
              subject: job.subject,
              reason: result.left.reason,
              error: result.left.message
            })
          )
          const message = `AI generation for ${job.subject} fell back to schema scenarios: ${result.left.message}`
          const generated: GeneratedScenarios = {
            scenarios: [],
            notes: [{ operationId: job.operationId, message }]
          }
          return { generated, cacheable: false }
        }
        const { answer, response } = result.right
        const origin = {
          model: response.model,
          promptVersion: prompt.promptVersion,
          promptHash: prompt.promptHash
        }
        const accepted = job.accept(answer, origin)
        yield* meter.recordAcceptance(accepted.counts)
        const notes = accepted.notes.map((message) => ({ operationId: job.operationId, message }))
        return { generated: { scenarios: accepted.scenarios, notes }, cacheable: true }
      })

    const run = <A>(job: Job<A>): Effect.Effect<GeneratedScenarios, never, AiGeneratorServices> =>
      Effect.gen(function* () {
        const cache = yield* ScenarioCache
        const cached = yield* cache.get(job.cacheKey)
        if (Option.isSome(cached)) {
          yield* meter.recordCacheHit
          return { scenarios: cached.value.slice(0, job.limit), notes: [] }
        }
        const { generated, cacheable } = yield* callAndAccept(job)
        if (cacheable) yield* cache.set(job.cacheKey, generated.scenarios)
        return generated
      })

    const forOperation = (spec: ApiSpec, operation: Operation, options: GenerateOptions) =>
      run({
        operationId: operation.id,
        subject: `operation ${operation.id}`,
        cacheKey: scenarioCacheKey(operation, settings, options.seed),
        prompt: () => buildPrompt(spec, operation, settings),
        output: scenarioOutput,
        accept: (answer, origin) =>
          acceptAnswer(spec, operation, answer, origin, options.maxScenariosPerOperation),
        prepare: () => compileValidators(spec, operation),
        limit: options.maxScenariosPerOperation
      }).pipe(
        Effect.withSpan("AiGenerator.forOperation", {
          attributes: { operationId: operation.id, model: settings.model }
        })
      )

    const flowsOf = (spec: ApiSpec, group: ResourceGroup, options: GenerateOptions) =>
      run({
        operationId: group.producers[0]?.id ?? group.resource,
        subject: `flows of ${group.resource}`,
        cacheKey: flowCacheKey(group, settings, options.seed),
        prompt: () => buildFlowPrompt(spec, group, settings),
        output: flowOutput,
        accept: (answer, origin) =>
          acceptFlows(spec, group, answer, origin, options.maxScenariosPerOperation),
        limit: options.maxScenariosPerOperation
      }).pipe(
        Effect.withSpan("AiGenerator.flows", {
          attributes: { resource: group.resource, model: settings.model }
        })
      )

    const flows = (spec: ApiSpec, options: GenerateOptions) =>
      Effect.map(
        Effect.forEach(resourceGroups(spec), (group) => flowsOf(spec, group, options), {
          concurrency: settings.maxConcurrentCalls
        }),
        (parts): GeneratedScenarios => ({
          scenarios: parts.flatMap((part) => part.scenarios),
          notes: parts.flatMap((part) => part.notes)
        })
      )

    return {
      name: "ai",
      forOperation,
      flows,
      usage: () => meter.usage,
      report: () => meter.report
    } satisfies AiGenerator
  })
