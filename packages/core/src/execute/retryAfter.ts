/**
 * `Retry-After` (RFC 9110 section 10.2.3): the delay a 429 or 503 response requests.
 */

/**
 * Parses a `Retry-After` value, delta seconds or an HTTP date, to a delay in milliseconds from
 * `nowMs`. A date in the past gives 0; an unparsable value gives `undefined`.
 */
export const parseRetryAfter = (value: string | undefined, nowMs: number): number | undefined => {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // An HTTP date names a weekday and a month; this keeps `Date.parse` from reading arbitrary text.
  if (!/^[A-Za-z]{3},? /.test(text)) return undefined
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}

/** Tests whether a response is rate limiting: a 429, or a 503 with a `Retry-After` header. */
export const isRateLimiting = (status: number, retryAfter: string | undefined): boolean =>
  status === 429 || (status === 503 && retryAfter !== undefined)
