/**
 * Helpers that the checks and the pipeline share to read a recorded response: which declared response
 * it matches, whether it has a body, and its body parsed as JSON.
 */
import { Either } from "effect"
import type { Exchange, RecordedResponse } from "../execute/Exchange.js"
import type { Operation, Response } from "../spec/model.js"
import type { CheckInput, CheckOutcome } from "./Check.js"
import { isJsonMediaType } from "./mediaType.js"
import { skipped } from "./outcome.js"

/**
 * Returns the declared response for a status: the exact code first, then its range (`4XX`, any
 * case), then `default`; undefined when none is declared.
 */
export const matchResponse = (operation: Operation, status: number): Response | undefined => {
  const exact = String(status)
  const range = `${Math.floor(status / 100)}XX`
  let byRange: Response | undefined
  let byDefault: Response | undefined
  for (const response of operation.responses) {
    const declared = response.status.toUpperCase()
    if (declared === exact) return response
    if (declared === range) byRange ??= response
    else if (declared === "DEFAULT") byDefault ??= response
  }
  return byRange ?? byDefault
}

/** Returns the response's `content-type` header, or undefined when it has none. */
export const contentTypeOf = (response: RecordedResponse): string | undefined =>
  response.headers["content-type"]

/**
 * Whether a response has no body to judge: 204, 304, a response to `HEAD`, or zero bytes. Such a
 * response is not parsed, whatever its `content-type` header.
 */
export const isBodiless = (exchange: Exchange): boolean => {
  const response = exchange.response
  if (response === undefined) return true
  if (response.status === 204 || response.status === 304) return true
  if (exchange.request.method.toUpperCase() === "HEAD") return true
  return response.bodyBytes === 0 && response.body === ""
}

/** Result of reading a response body as JSON. */
export type JsonBodyRead =
  | { readonly kind: "parsed"; readonly value: unknown }
  | { readonly kind: "bodiless" }
  | { readonly kind: "not_json"; readonly mediaType: string }
  | { readonly kind: "truncated" }
  | { readonly kind: "invalid"; readonly message: string }

/** Reads a response body as JSON, or returns the reason it cannot. */
export const readJsonBody = (exchange: Exchange): JsonBodyRead => {
  const response = exchange.response
  if (response === undefined || isBodiless(exchange)) return { kind: "bodiless" }
  const contentType = contentTypeOf(response) ?? ""
  if (!isJsonMediaType(contentType)) return { kind: "not_json", mediaType: contentType }
  // A body cut at the recording limit is not valid JSON, and that is no fault of the API.
  if (response.truncated) return { kind: "truncated" }
  const parsed = Either.try({
    try: () => JSON.parse(response.body) as unknown,
    catch: (error) => (error instanceof Error ? error.message : String(error))
  })
  return Either.isRight(parsed)
    ? { kind: "parsed", value: parsed.right }
    : { kind: "invalid", message: parsed.left }
}

/**
 * Parses a response body as JSON when its media type is JSON; undefined for 204, 304, `HEAD`, an
 * empty or truncated body, another media type, or text that is not JSON.
 */
export const parseResponseBody = (exchange: Exchange): { readonly value: unknown } | undefined => {
  const read = readJsonBody(exchange)
  return read.kind === "parsed" ? { value: read.value } : undefined
}

/** Returns the parsed JSON body of a check input, reusing the pipeline's parse when it did one. */
export const jsonBodyOf = (input: CheckInput): JsonBodyRead =>
  input.body !== undefined ? { kind: "parsed", value: input.body.value } : readJsonBody(input.exchange)

/**
 * Returns the response a check may judge, or the `skipped` outcome when there is none. An exchange
 * that failed has no response. A rate-limited response (429, or 503 with `Retry-After`, after the
 * executor's retries) is no verdict on the request itself.
 */
export const judgeableResponse = (input: CheckInput): RecordedResponse | CheckOutcome => {
  const { exchange } = input
  if (exchange.failure !== undefined || exchange.response === undefined) {
    const kind = exchange.failure?.kind ?? "missing"
    return skipped(`no response (${kind})`)
  }
  if (exchange.rateLimited) return skipped("rate limited")
  return exchange.response
}

/** Whether `judgeableResponse` returned an outcome rather than a response. */
export const isOutcome = (value: RecordedResponse | CheckOutcome): value is CheckOutcome =>
  "status" in value && typeof value.status === "string"
