/**
 * The `LanguageModel` layer over the `openai` client, for any OpenAI-compatible base URL. The client
 * never retries (`maxRetries: 0`): a 429 fails at once with `retryAfterMs`, so the caller's rate
 * limiter decides when to try again.
 */
import {
  Clock,
  Duration,
  Effect,
  Either,
  Layer,
  type Redacted,
  Redacted as RedactedValue,
  Ref,
  Schedule
} from "effect"
import OpenAI from "openai"
import {
  type CompletionRequest,
  type CompletionResponse,
  LanguageModel,
  LanguageModelError,
  type LanguageModelService,
  type StructuredOutputMode
} from "./LanguageModel.js"
import { providerError } from "./ProviderError.js"
import { answerText, completionBody, nextMode, parseAnswer } from "./StructuredOutput.js"

/** Options of the `openai` layer. */
export interface OpenAiLanguageModelOptions {
  /** Base URL of the API, such as `https://api.openai.com/v1` or a local server's `/v1` URL. */
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
  readonly model: string
  /** Headers added to every request. */
  readonly headers?: Readonly<Record<string, string>>
  /**
   * How to ask for structured output. `auto` (the default) starts with `json_schema` and steps down to
   * `json_object`, then `tool`, when the server rejects a mode, remembering the mode that works.
   */
  readonly mode?: StructuredOutputMode | "auto"
  /** Time limit of one request, in milliseconds; 120000 when absent. */
  readonly timeoutMs?: number
  /** Retries of `ServerError`, `Network` and `Timeout` failures inside the layer; 0 when absent. */
  readonly maxRetries?: number
}

const defaultTimeoutMs = 120_000

/** Matches a 400 response that rejects the structured-output mode rather than the request as a whole. */
const modeRejectionPattern = /response_format|json_schema|json_object|tool_choice|tools|function/i

const isModeRejection = (error: LanguageModelError): boolean =>
  error.reason === "Rejected" && error.status === 400 && modeRejectionPattern.test(error.message)

const isTransient = (error: LanguageModelError): boolean =>
  error.reason === "ServerError" || error.reason === "Network" || error.reason === "Timeout"

/** Builds the `LanguageModel` service over a new `openai` client. */
export const make = (options: OpenAiLanguageModelOptions): Effect.Effect<LanguageModelService> =>
  Effect.gen(function* () {
    const apiKey = RedactedValue.value(options.apiKey)
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs
    // NOTE: there is no probe request at start. Providers differ in which cheap endpoint they serve
    // (some lack `/models`) and a completion costs money, so the first call reports a bad setup.
    const client = new OpenAI({
      apiKey,
      baseURL: options.baseUrl,
      maxRetries: 0,
      // The Effect timeout below ends the request first; this bound also holds under a test clock.
      timeout: timeoutMs + 1_000,
      ...(options.headers === undefined ? {} : { defaultHeaders: { ...options.headers } })
    })
    const fixedMode = options.mode === undefined || options.mode === "auto" ? undefined : options.mode
    const modeRef = yield* Ref.make<StructuredOutputMode>(fixedMode ?? "json_schema")

    const send = (request: CompletionRequest, mode: StructuredOutputMode) =>
      Effect.tryPromise({
        try: (signal) =>
          client.chat.completions.create(completionBody(options.model, request, mode), { signal }),
        catch: (error) => error
      }).pipe(
        Effect.catchAll((error) =>
          Effect.flatMap(Clock.currentTimeMillis, (nowMs) => Effect.fail(providerError(error, apiKey, nowMs)))
        ),
        Effect.timeoutFail({
          duration: Duration.millis(timeoutMs),
          onTimeout: () =>
            new LanguageModelError({
              reason: "Timeout",
              message: `The model at ${options.baseUrl} timed out after ${timeoutMs} ms.`
            })
        }),
        Effect.tapError((error) =>
          isTransient(error)
            ? Effect.logWarning("Language model request failed").pipe(
                Effect.annotateLogs({
                  reason: error.reason,
                  status: error.status ?? "none",
                  model: options.model
                })
              )
            : Effect.void
        ),
        Effect.retry({
          times: options.maxRetries ?? 0,
          schedule: Schedule.exponential(Duration.millis(250)),
          while: isTransient
        })
      )

    const attempt = (request: CompletionRequest, mode: StructuredOutputMode) =>
      Effect.gen(function* () {
        const completion = yield* send(request, mode)
        const raw = yield* Either.match(answerText(completion, mode), {
          onLeft: (error) => Effect.fail(error),
          onRight: (text) => Effect.succeed(text)
        })
        const value = yield* Either.match(parseAnswer(raw, request.schema), {
          onLeft: (error) => Effect.fail(error),
          onRight: (parsed) => Effect.succeed(parsed)
        })
        const response: CompletionResponse = {
          value,
          raw,
          usage: {
            promptTokens: completion.usage?.prompt_tokens ?? 0,
            completionTokens: completion.usage?.completion_tokens ?? 0
          },
          model: completion.model || options.model,
          mode
        }
        return response
      })

    const complete = Effect.fn("LanguageModel.complete")(function* (request: CompletionRequest) {
      const mode = yield* Ref.get(modeRef)
      yield* Effect.annotateCurrentSpan({ model: options.model, schema: request.schema.name, mode })
      return yield* attempt(request, mode).pipe(
        Effect.catchIf(
          (error) => fixedMode === undefined && isModeRejection(error) && nextMode(mode) !== undefined,
          (error) =>
            Effect.gen(function* () {
              const lower = nextMode(mode)!
              yield* Effect.logWarning("Structured output mode rejected, stepping down").pipe(
                Effect.annotateLogs({
                  model: options.model,
                  rejectedMode: mode,
                  nextMode: lower,
                  status: error.status
                })
              )
              // Only step down from the mode this call used, so concurrent calls step down once.
              yield* Ref.update(modeRef, (current) => (current === mode ? lower : current))
              yield* Effect.annotateCurrentSpan({ mode: lower })
              return yield* attempt(request, lower)
            })
        )
      )
    })

    return LanguageModel.of({ complete })
  })

/** Provides `LanguageModel` through the `openai` client; see `OpenAiLanguageModelOptions`. */
export const layer = (options: OpenAiLanguageModelOptions): Layer.Layer<LanguageModel> =>
  Layer.effect(LanguageModel, make(options))
