/**
 * What the executor records of one request and its response. Secrets are already masked here, so
 * an exchange can go into events, reports and logs as it is.
 */
import { Schema } from "effect"

/** One part of a multipart body, as sent; `text` for text content, `bytes` for binary content. */
export const RecordedPart = Schema.Struct({
  name: Schema.String,
  contentType: Schema.String,
  /** Filename, set when the part was sent as a file, as undici sends every part with a content type. */
  filename: Schema.optional(Schema.String),
  /** Text content, with secrets masked and cut at the recording limit. */
  text: Schema.optional(Schema.String),
  /** Size of binary content, which the record does not keep. */
  bytes: Schema.optional(Schema.Number)
})
export type RecordedPart = typeof RecordedPart.Type

export const RecordedRequest = Schema.Struct({
  method: Schema.String,
  url: Schema.String,
  /** Header names lowercase; credential values masked. */
  headers: Schema.Record({ key: Schema.String, value: Schema.String }),
  /** Body as text (binary parts summarized), truncated to the recording limit. */
  body: Schema.optional(Schema.String),
  /** Whether `body` (or a part's text) was cut at the recording limit. */
  bodyTruncated: Schema.optional(Schema.Boolean),
  /** The parts of a multipart body, so that a curl command can send them again. */
  parts: Schema.optional(Schema.Array(RecordedPart))
})
export type RecordedRequest = typeof RecordedRequest.Type

export const RecordedResponse = Schema.Struct({
  status: Schema.Number,
  /** Header names lowercase; repeated headers joined with `, ` (`set-cookie` with `\n`). */
  headers: Schema.Record({ key: Schema.String, value: Schema.String }),
  /** Body as text, truncated to the recording limit. */
  body: Schema.String,
  /** Size of the whole body in bytes, as received. */
  bodyBytes: Schema.Number,
  truncated: Schema.Boolean,
  /** Milliseconds from sending the request to receiving the whole body. */
  elapsedMs: Schema.Number,
  /**
   * The longest stretch, in milliseconds, during `elapsedMs` in which QAWave's own event loop was
   * blocked, so a response that had arrived may have waited that long to be read.
   */
  busyMs: Schema.optional(Schema.Number)
})
export type RecordedResponse = typeof RecordedResponse.Type

/** Why no response could be judged. */
export const ExchangeFailure = Schema.Struct({
  kind: Schema.Literal("timeout", "connect", "body_too_large", "aborted", "network", "encoding"),
  message: Schema.String,
  elapsedMs: Schema.Number
})
export type ExchangeFailure = typeof ExchangeFailure.Type

/** One executed step: the request, and either a response or a failure. */
export const Exchange = Schema.Struct({
  request: RecordedRequest,
  response: Schema.optional(RecordedResponse),
  failure: Schema.optional(ExchangeFailure),
  /** How many times the request was sent again after a 429 or 503 with `Retry-After`. */
  retries: Schema.Number,
  /** Whether the final answer was still a rate-limiting one (429, or 503 with `Retry-After`). */
  rateLimited: Schema.Boolean
})
export type Exchange = typeof Exchange.Type
