/**
 * Request context, replies and error bodies shared by the router and the handlers.
 */
import type { IncomingHttpHeaders } from "node:http"
import type { Store } from "./store.js"

/** Location of one invalid value: a JSON pointer into the body, or a parameter name. */
export interface ErrorDetail {
  readonly location: "body" | "query" | "path" | "header"
  readonly path: string
  readonly message: string
}

/** Response of a handler, which the router writes to the socket. */
export interface Reply {
  readonly status: number
  /** JSON value of the body; absent for a reply without a body (204). */
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /** Overrides `application/json`; only planted bug 8 sets it. */
  readonly contentType?: string
}

/** One request as the handlers see it, with its body already read. */
export interface RequestContext {
  readonly method: string
  readonly url: URL
  readonly headers: IncomingHttpHeaders
  /** Decoded path parameters by name, such as `petId`. */
  readonly params: Readonly<Record<string, string>>
  /** Raw request body; an empty string when the request has none. */
  readonly body: string
  /** Whether the planted bugs are switched on. */
  readonly bugs: boolean
  readonly store: Store
}

/** Builds a reply whose body follows the spec's `Error` schema. */
export const errorReply = (
  status: number,
  code: string,
  message: string,
  details: ReadonlyArray<ErrorDetail> = [],
  headers: Readonly<Record<string, string>> = {}
): Reply => ({ status, body: { code, message, details }, headers })

/** Builds a 400 reply for invalid parameters. */
export const invalidRequest = (details: ReadonlyArray<ErrorDetail>): Reply =>
  errorReply(400, "invalid_request", "The request has invalid parameters.", details)

/** Builds a 422 reply for a request body that is valid JSON but breaks the schema. */
export const validationFailed = (details: ReadonlyArray<ErrorDetail>): Reply =>
  errorReply(422, "validation_failed", "The request body does not match the schema.", details)

/** Builds a 404 reply for an unknown resource id. */
export const notFound = (resource: string, id: string): Reply =>
  errorReply(404, "not_found", `No ${resource} with id ${id}.`)

/** Result of reading a JSON request body: the parsed value, or the reply that rejects it. */
export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reply: Reply }

/**
 * Parses the request body as JSON. A missing or malformed body is rejected with 400, a media type
 * other than `application/json` (parameters such as `charset` allowed) with 415.
 */
export const readJsonBody = (context: RequestContext): JsonBody => {
  if (context.body.length === 0) {
    return { ok: false, reply: errorReply(400, "invalid_request", "The request body is required.") }
  }
  const mediaType = (context.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase()
  if (mediaType !== "application/json") {
    return {
      ok: false,
      reply: errorReply(
        415,
        "unsupported_media_type",
        `Content-Type ${JSON.stringify(mediaType ?? "")} is not supported; send application/json.`
      )
    }
  }
  try {
    return { ok: true, value: JSON.parse(context.body) }
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return {
      ok: false,
      reply: errorReply(400, "invalid_request", `The request body is not valid JSON: ${reason}`)
    }
  }
}
