/** Maps failures of the `openai` client to `LanguageModelError`, with the API key scrubbed out. */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai"
import { LanguageModelError } from "./LanguageModel.js"

/**
 * Reads how long to wait from `retry-after-ms` (milliseconds) or `Retry-After` (seconds, or an HTTP
 * date measured from `nowMs`). Returns milliseconds, or `undefined` when neither header is usable.
 */
export const parseRetryAfterMs = (headers: Headers | undefined, nowMs: number): number | undefined => {
  const milliseconds = Number.parseFloat(headers?.get("retry-after-ms") ?? "")
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.ceil(milliseconds)
  const value = headers?.get("retry-after")?.trim()
  if (value === undefined || value === "") return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number.parseFloat(value) * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/** Returns `text` with every occurrence of `secret` replaced, so keys never reach messages or logs. */
export const scrubSecret = (text: string, secret: string): string =>
  secret.length === 0 ? text : text.split(secret).join("<redacted>")

const statusReason = (status: number): LanguageModelError["reason"] => {
  if (status === 401 || status === 403) return "Unauthorized"
  if (status === 429) return "RateLimited"
  if (status === 408) return "Timeout"
  if (status >= 500) return "ServerError"
  return "Rejected"
}

/** Maps an error thrown by the `openai` client; `nowMs` dates a `Retry-After` HTTP date. */
export const providerError = (error: unknown, apiKey: string, nowMs: number): LanguageModelError => {
  const message = (text: string) => scrubSecret(text, apiKey)
  if (error instanceof APIConnectionTimeoutError) {
    return new LanguageModelError({ reason: "Timeout", message: message(error.message), cause: error })
  }
  if (error instanceof APIConnectionError) {
    const detail = error.cause instanceof Error ? `: ${error.cause.message}` : ""
    return new LanguageModelError({
      reason: "Network",
      message: message(error.message + detail),
      cause: error
    })
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const reason = statusReason(error.status)
    return new LanguageModelError({
      reason,
      message: message(error.message),
      status: error.status,
      retryAfterMs: reason === "RateLimited" ? parseRetryAfterMs(error.headers, nowMs) : undefined,
      cause: error
    })
  }
  const text = error instanceof Error ? error.message : String(error)
  return new LanguageModelError({
    reason: "Network",
    message: message(`The request failed: ${text}`),
    cause: error
  })
}
