/** Settings of the AI generator, with the defaults applied by `resolveSettings`. */
import { defaultMaxPromptTokens } from "./prompt.js"

/** Prices of one model, in a currency of the caller's choice per one million tokens. */
export interface TokenPrices {
  readonly promptPerMillion: number
  readonly completionPerMillion: number
}

/** Settings given by the caller. Every field but `model` has a default. */
export interface AiGeneratorSettings {
  /** Model name as the provider spells it. It is part of the cache key and the rate-limit keys. */
  readonly model: string
  /** Scenarios asked for in one model call. 5 when absent. */
  readonly scenariosPerCall?: number
  /** Model calls in flight at once, across all operations. 5 when absent. */
  readonly maxConcurrentCalls?: number
  /** Model requests per minute, shared through `RateLimiter`. 60 when absent. */
  readonly requestsPerMinute?: number
  /** Model tokens (prompt + completion) per minute, shared through `RateLimiter`. 200000 when absent. */
  readonly tokensPerMinute?: number
  /** Upper bound on completion tokens of one call. 4000 when absent. */
  readonly maxCompletionTokens?: number
  /** Sampling temperature. 0 when absent, so outputs vary as little as the provider allows. */
  readonly temperature?: number
  /** Prices used for `estimatedCost`; zero prices when absent. */
  readonly prices?: TokenPrices
  /** Stops model calls once the estimated cost of the run reaches this amount. No cap when absent. */
  readonly maxCost?: number
  /** Stops model calls once prompt + completion tokens of the run reach this number. No cap when absent. */
  readonly maxTokens?: number
  /** Depth of inlined `$ref`s in a prompt before a schema is cut. 3 when absent. */
  readonly schemaDepth?: number
  /** Depth of inlined `$ref`s in success response schemas, at most `schemaDepth`. 1 when absent. */
  readonly responseDepth?: number
  /**
   * Prompt length in estimated tokens (4 characters each) above which schemas are cut further, first
   * in responses, then in requests. 2000 when absent.
   */
  readonly maxPromptTokens?: number
  /** Time limit of one model call, in milliseconds; a call over it counts as a timeout. 120000 when absent. */
  readonly callTimeoutMs?: number
  /** Retries of a 429 response, each after the provider's `Retry-After`. 3 when absent. */
  readonly rateLimitRetries?: number
  /** Maximum wait honoured for one `Retry-After`, in milliseconds. 60000 when absent. */
  readonly maxRetryAfterMs?: number
  /** Retries of server errors, timeouts and network failures. 2 when absent. */
  readonly transientRetries?: number
  /** First backoff delay for transient failures, in milliseconds; doubled on each retry. 500 when absent. */
  readonly backoffMs?: number
}

/** Settings with every default applied. */
export interface ResolvedSettings {
  readonly model: string
  readonly scenariosPerCall: number
  readonly maxConcurrentCalls: number
  readonly requestsPerMinute: number
  readonly tokensPerMinute: number
  readonly maxCompletionTokens: number
  readonly temperature: number
  readonly prices: TokenPrices
  readonly maxCost: number | undefined
  readonly maxTokens: number | undefined
  readonly schemaDepth: number
  readonly responseDepth: number
  readonly maxPromptTokens: number
  readonly callTimeoutMs: number
  readonly rateLimitRetries: number
  readonly maxRetryAfterMs: number
  readonly transientRetries: number
  readonly backoffMs: number
}

const positiveInteger = (value: number | undefined, fallback: number): number =>
  value === undefined || !Number.isFinite(value) || value < 1 ? fallback : Math.floor(value)

const nonNegativeInteger = (value: number | undefined, fallback: number): number =>
  value === undefined || !Number.isFinite(value) || value < 0 ? fallback : Math.floor(value)

/** Applies the defaults; values out of range (zero, negative, NaN) are replaced by the default. */
export const resolveSettings = (settings: AiGeneratorSettings): ResolvedSettings => ({
  model: settings.model,
  scenariosPerCall: positiveInteger(settings.scenariosPerCall, 5),
  maxConcurrentCalls: positiveInteger(settings.maxConcurrentCalls, 5),
  requestsPerMinute: positiveInteger(settings.requestsPerMinute, 60),
  tokensPerMinute: positiveInteger(settings.tokensPerMinute, 200_000),
  maxCompletionTokens: positiveInteger(settings.maxCompletionTokens, 4_000),
  temperature: settings.temperature ?? 0,
  prices: settings.prices ?? { promptPerMillion: 0, completionPerMillion: 0 },
  maxCost: settings.maxCost,
  maxTokens: settings.maxTokens,
  schemaDepth: positiveInteger(settings.schemaDepth, 3),
  responseDepth: positiveInteger(settings.responseDepth, 1),
  maxPromptTokens: positiveInteger(settings.maxPromptTokens, defaultMaxPromptTokens),
  callTimeoutMs: positiveInteger(settings.callTimeoutMs, 120_000),
  rateLimitRetries: nonNegativeInteger(settings.rateLimitRetries, 3),
  maxRetryAfterMs: nonNegativeInteger(settings.maxRetryAfterMs, 60_000),
  transientRetries: nonNegativeInteger(settings.transientRetries, 2),
  backoffMs: nonNegativeInteger(settings.backoffMs, 500)
})
