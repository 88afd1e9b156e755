import { Data } from "effect"

/** Short codes for why a document could not be used at all. */
export type SpecLoadReason =
  | "not-found"
  | "read-failed"
  | "fetch-failed"
  | "fetch-timeout"
  | "too-large"
  | "invalid-syntax"
  | "not-openapi"
  | "unsupported-version"
  | "invalid-paths"

/**
 * A document that cannot be used at all. `source` is the file path, URL or `memory`; `pointer` is the
 * JSON pointer of the offending value (empty for the whole document).
 */
export class SpecLoadError extends Data.TaggedError("SpecLoadError")<{
  readonly source: string
  readonly pointer: string
  readonly reason: SpecLoadReason
  readonly message: string
  readonly cause?: unknown
}> {}

/** Builds a `SpecLoadError` whose message names the source, the pointer and the next step. */
export const specLoadError = (options: {
  readonly source: string
  readonly pointer?: string
  readonly reason: SpecLoadReason
  readonly detail: string
  readonly hint: string
  readonly cause?: unknown
}): SpecLoadError => {
  const pointer = options.pointer ?? ""
  const where = pointer === "" ? options.source : `${options.source} at ${pointer}`
  return new SpecLoadError({
    source: options.source,
    pointer,
    reason: options.reason,
    message: `Cannot load the API description ${where}: ${options.detail}. ${options.hint}`,
    ...(options.cause === undefined ? {} : { cause: options.cause })
  })
}
