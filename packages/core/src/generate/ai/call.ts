/**
 * One generation call with its budget, rate limits and retries. After a 429 the call waits for the
 * provider's `Retry-After` (capped). Server errors, timeouts and network failures back off
 * exponentially. Output that is not JSON or breaks the output schema is requested once more, with
 * the error fed back to the model.
 * Every wait is an `Effect.sleep`, so `TestClock` drives it in tests.
 */
import { Effect, Either, ParseResult } from "effect"
import {
  type ChatMessage,
  type CompletionResponse,
  type JsonSchemaObject,
  LanguageModel,
  LanguageModelError,
  type LanguageModelErrorReason
} from "../../ai/LanguageModel.js"
import { RateLimiter } from "../../ports/RateLimiter.js"
import { promptTokens } from "./prompt.js"
import type { ResolvedSettings } from "./settings.js"
import { credentialsRejected, type UsageMeter } from "./usage.js"

/** The output schema of a call and the decoder of its value. */
export interface OutputSpec<A> {
  readonly name: string
  readonly schema: JsonSchemaObject
  readonly decode: (value: unknown) => Either.Either<A, ParseResult.ParseError>
}

/** The decoded model output with the completion it came from. */
export interface AnsweredCall<A> {
  readonly answer: A
  readonly response: CompletionResponse
}

/** Reason a call returned no output: the model failed for good, or no call was allowed. */
export interface CallFailure {
  readonly reason: LanguageModelErrorReason | "Stopped"
  readonly message: string
}

/** Services and settings of a call, besides its messages. */
export interface CallContext {
  readonly settings: ResolvedSettings
  readonly meter: UsageMeter
  /** Bounds the model calls in flight; waits for rate limits and retries happen outside it. */
  readonly semaphore: Effect.Semaphore
  readonly operationId: string
}

const minuteMs = 60_000

/** Decodes the model's value; a mismatch becomes a `SchemaMismatch` error that can be fed back. */
const toAnswer = <A>(
  output: OutputSpec<A>,
  response: CompletionResponse
): Either.Either<AnsweredCall<A>, LanguageModelError> =>
  Either.match(output.decode(response.value), {
    onLeft: (error) =>
      Either.left(
        new LanguageModelError({
          reason: "SchemaMismatch",
          message: `The model output does not match the schema "${output.name}": ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
          raw: response.raw
        })
      ),
    onRight: (answer) => Either.right({ answer, response })
  })

/** Builds the messages of the one retry after unusable output: the output itself, then what was wrong with it. */
export const feedbackMessages = (
  messages: ReadonlyArray<ChatMessage>,
  error: LanguageModelError
): ReadonlyArray<ChatMessage> => [
  ...messages,
  ...(error.raw === undefined || error.raw === ""
    ? []
    : [{ role: "assistant" as const, content: error.raw }]),
  {
    role: "user",
    content: `Your answer could not be used: ${error.message}\nAnswer again with JSON that matches the schema.`
  }
]

const isTransient = (reason: LanguageModelErrorReason): boolean =>
  reason === "ServerError" || reason === "Timeout" || reason === "Network"

/** Sends the messages, retrying as the module comment describes. Failures are returned as `Either.left`. */
export const callModel = <A>(
  context: CallContext,
  messages: ReadonlyArray<ChatMessage>,
  output: OutputSpec<A>
): Effect.Effect<Either.Either<AnsweredCall<A>, CallFailure>, never, LanguageModel | RateLimiter> =>
  Effect.gen(function* () {
    const model = yield* LanguageModel
    const limiter = yield* RateLimiter
    const { settings, meter } = context
    let current = messages
    let rateLimitRetries = 0
    let transientRetries = 0
    let fedBack = false

    for (;;) {
      const estimate = promptTokens(current)
      const stopped = yield* meter.reserve(estimate)
      if (stopped !== undefined) return Either.left<CallFailure>({ reason: "Stopped", message: stopped })

      const result = yield* Effect.gen(function* () {
        yield* limiter.take(`llm:${settings.model}:requests`, {
          permits: settings.requestsPerMinute,
          perMs: minuteMs
        })
        yield* limiter.take(
          `llm:${settings.model}:tokens`,
          { permits: settings.tokensPerMinute, perMs: minuteMs },
          Math.min(settings.tokensPerMinute, estimate + settings.maxCompletionTokens)
        )
        return yield* context.semaphore.withPermits(1)(
          model
            .complete({
              messages: current,
              schema: { name: output.name, schema: output.schema },
              maxTokens: settings.maxCompletionTokens,
              temperature: settings.temperature
            })
            .pipe(
              Effect.timeoutFail({
                duration: settings.callTimeoutMs,
                onTimeout: () =>
                  new LanguageModelError({
                    reason: "Timeout",
                    message: `The model did not return within ${settings.callTimeoutMs} ms.`
                  })
              }),
              Effect.either
            )
        )
      }).pipe(Effect.onInterrupt(() => meter.release(estimate)))
      yield* meter.settle(estimate, Either.isRight(result) ? result.right.usage : undefined)
      const answered = Either.flatMap(result, (response) => toAnswer(output, response))
      if (Either.isRight(answered)) return Either.right(answered.right)

      const error = answered.left
      yield* meter.recordFailure(error.reason)
      const log = (message: string) =>
        Effect.logWarning(message).pipe(
          Effect.annotateLogs({
            operationId: context.operationId,
            model: settings.model,
            reason: error.reason,
            error: error.message
          })
        )

      if (error.reason === "RateLimited" && rateLimitRetries < settings.rateLimitRetries) {
        rateLimitRetries++
        const waitMs = Math.min(
          error.retryAfterMs ?? settings.backoffMs * 2 ** (rateLimitRetries - 1),
          settings.maxRetryAfterMs
        )
        yield* log(`Model call rate limited, retrying after ${waitMs} ms`)
        yield* meter.recordRetry
        yield* Effect.sleep(waitMs)
        continue
      }
      if (isTransient(error.reason) && transientRetries < settings.transientRetries) {
        transientRetries++
        const waitMs = settings.backoffMs * 2 ** (transientRetries - 1)
        yield* log(`Model call failed, retrying after ${waitMs} ms`)
        yield* meter.recordRetry
        yield* Effect.sleep(waitMs)
        continue
      }
      if ((error.reason === "InvalidJson" || error.reason === "SchemaMismatch") && !fedBack) {
        fedBack = true
        yield* log("Model output unusable, retrying once with the validation error")
        yield* meter.recordRetry
        current = feedbackMessages(messages, error)
        continue
      }
      if (error.reason === "Unauthorized") yield* meter.stop(credentialsRejected)
      return Either.left<CallFailure>({ reason: error.reason, message: error.message })
    }
  })
