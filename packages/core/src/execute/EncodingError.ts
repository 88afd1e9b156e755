/**
 * The error of request encoding: a step's value that cannot be put into an HTTP request as the spec
 * requires. The pipeline records it as an exchange with failure kind `encoding`.
 */
import { Data } from "effect"

/** Part of the request that contains the value that failed. */
export type EncodingLocation = "path" | "query" | "header" | "cookie" | "body" | "credentials" | "url"

/** A value that could not be encoded, with the parameter (or body property) that contains it. */
export class EncodingError extends Data.TaggedError("EncodingError")<{
  readonly location: EncodingLocation
  /** Parameter name, body property or security scheme; absent for the body as a whole. */
  readonly parameter?: string
  readonly message: string
  readonly cause?: unknown
}> {}
