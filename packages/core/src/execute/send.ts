/**
 * One HTTP attempt through undici: send the request, read the body within its caps, and turn every
 * failure into a value. Nothing here rejects.
 */
import type { Dispatcher } from "undici"
import type { ExchangeFailure } from "./Exchange.js"
import type { EncodedRequest } from "./encode.js"

/** Caps on reading a response body, in bytes. */
export interface BodyLimits {
  /** Bytes of the body kept as text for the record. */
  readonly recordBytes: number
  /** Soft cap; past `10 ×` this the body is no longer read and the attempt fails `body_too_large`. */
  readonly maxBodyBytes: number
}

/** Multiple of `maxBodyBytes` past which reading stops. */
export const hardCapFactor = 10

/** Result of one attempt: a response read within the caps, or the failure. */
export type Attempt =
  | {
      readonly _tag: "Response"
      readonly status: number
      readonly headers: Record<string, string>
      readonly body: string
      readonly bodyBytes: number
      readonly truncated: boolean
    }
  | {
      readonly _tag: "Failure"
      readonly kind: ExchangeFailure["kind"]
      readonly message: string
      /** Set when a kept-alive connection, which had carried earlier responses, closed before any response. */
      readonly reused?: boolean
    }

/**
 * Splits an absolute URL into origin and the raw path with query. The path is taken from the text,
 * not from `new URL`, which would resolve `%2E%2E` segments and change the route.
 */
export const splitUrl = (url: string): { readonly origin: string; readonly path: string } => {
  const authorityStart = url.indexOf("//") + 2
  const pathStart = url.slice(authorityStart).search(/[/?]/)
  if (pathStart === -1) return { origin: originOf(url), path: "/" }
  const origin = originOf(url.slice(0, authorityStart + pathStart))
  const path = url.slice(authorityStart + pathStart)
  return { origin, path: path.startsWith("?") ? "/" + path : path }
}

// Origins by the scheme and authority text they were parsed from: every request of a run shares a
// few, and parsing the whole URL for each request showed up in the run benchmark's allocations.
const origins = new Map<string, string>()
const maxOrigins = 64

const originOf = (prefix: string): string => {
  const known = origins.get(prefix)
  if (known !== undefined) return known
  const origin = new URL(prefix).origin
  if (origins.size >= maxOrigins) origins.clear()
  origins.set(prefix, origin)
  return origin
}

const joinHeaders = (
  headers: Record<string, string | ReadonlyArray<string> | undefined>
): Record<string, string> => {
  const joined: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const lower = name.toLowerCase()
    joined[lower] = typeof value === "string" ? value : value.join(lower === "set-cookie" ? "\n" : ", ")
  }
  return joined
}

const codeOf = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code === "string") return code
  return codeOf((error as { cause?: unknown }).cause)
}

const connectCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL"
])

/** Maps an undici or socket error to a failure kind, by its stable `code`. */
export const classifyError = (error: unknown): Omit<Extract<Attempt, { _tag: "Failure" }>, "_tag"> => {
  const code = codeOf(error)
  const text = error instanceof Error ? error.message : String(error)
  const name = error instanceof Error ? error.name : ""
  switch (code) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return { kind: "timeout", message: `Connecting to the target timed out: ${text}` }
    case "UND_ERR_HEADERS_TIMEOUT":
      return { kind: "timeout", message: `The response headers did not arrive in time: ${text}` }
    case "UND_ERR_BODY_TIMEOUT":
      return { kind: "timeout", message: `The response body stalled: ${text}` }
    case "UND_ERR_ABORTED":
      return { kind: "aborted", message: `The request was aborted: ${text}` }
    case "UND_ERR_INVALID_ARG":
      return { kind: "encoding", message: `undici rejected the request: ${text}` }
  }
  if (name === "AbortError") return { kind: "aborted", message: `The request was aborted: ${text}` }
  if (code !== undefined && connectCodes.has(code)) {
    return { kind: "connect", message: `Connecting to the target failed (${code}): ${text}` }
  }
  return { kind: "network", message: `The request failed${code === undefined ? "" : ` (${code})`}: ${text}` }
}

/**
 * Receives one attempt through undici's dispatch API, without the `Readable` body and the
 * `AbortSignal` of `agent.request`. On Node 20 every `AbortSignal` outlives the young generation and
 * drags the request's objects into the old one with it, which made a long run's heap grow. Keeps
 * the first `keep` bytes of the body, counts all of them and stops past `hardCap`.
 */
class AttemptHandler implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined
  #abortRequested = false
  #settled = false
  #status = 0
  #headers: Record<string, string> = {}
  readonly #chunks: Array<Uint8Array> = []
  #keptBytes = 0
  #bodyBytes = 0

  constructor(
    private readonly keep: number,
    private readonly hardCap: number,
    private readonly done: (attempt: Attempt) => void
  ) {}

  /** Reports `failure` unless the attempt already ended, and stops the request. */
  abort(failure: Attempt): void {
    this.#settle(failure)
    this.#abortRequested = true
    this.#controller?.abort(new Error(failure._tag === "Failure" ? failure.message : "aborted"))
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller
    // An abort that came while the request waited for a connection takes effect now.
    if (this.#abortRequested) controller.abort(new Error("The request was aborted before it was sent."))
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | ReadonlyArray<string> | undefined>
  ): void {
    this.#status = statusCode
    this.#headers = joinHeaders(headers)
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Uint8Array): void {
    this.#bodyBytes += chunk.byteLength
    if (this.#bodyBytes > this.hardCap) {
      this.abort({
        _tag: "Failure",
        kind: "body_too_large",
        message: `The response body (status ${this.#status}) is larger than ${this.hardCap} bytes (${hardCapFactor} × maxBodyBytes); reading stopped.`
      })
      return
    }
    if (this.#keptBytes < this.keep) {
      const part = chunk.subarray(0, this.keep - this.#keptBytes)
      this.#chunks.push(part)
      this.#keptBytes += part.byteLength
    }
  }

  onResponseEnd(): void {
    const chunks = this.#chunks
    let body = ""
    // One chunk is decoded in place; only a body of several chunks is copied into one buffer.
    const first = chunks[0]
    if (chunks.length === 1 && first !== undefined)
      body = Buffer.from(first.buffer, first.byteOffset, first.byteLength).toString("utf8")
    else if (chunks.length > 1) body = Buffer.concat(chunks).toString("utf8")
    this.#settle({
      _tag: "Response",
      status: this.#status,
      headers: this.#headers,
      body,
      bodyBytes: this.#bodyBytes,
      truncated: this.#bodyBytes > this.#keptBytes
    })
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    // undici's socket errors carry the socket's byte counts: bytes read before this request's
    // response began mean the connection was reused.
    const bytesRead = (error as { socket?: { bytesRead?: unknown } }).socket?.bytesRead
    const reused = this.#status === 0 && typeof bytesRead === "number" && bytesRead > 0
    this.#settle({ _tag: "Failure", ...classifyError(error), ...(reused ? { reused } : {}) })
  }

  #settle(attempt: Attempt): void {
    if (this.#settled) return
    this.#settled = true
    this.done(attempt)
  }
}

/**
 * Sends one request and reads its response. Calls `done` exactly once, with the response or the
 * failure; nothing throws. Returns a function that stops the attempt and reports the failure it is
 * given instead, for a deadline or a cancelled run.
 */
export const send = (
  agent: Dispatcher,
  request: EncodedRequest,
  limits: BodyLimits,
  done: (attempt: Attempt) => void
): ((failure: Attempt) => void) => {
  let origin: string
  let path: string
  try {
    ;({ origin, path } = splitUrl(request.url))
  } catch (error) {
    done({ _tag: "Failure", kind: "encoding", message: `Invalid request URL: ${String(error)}` })
    return () => {}
  }
  const handler = new AttemptHandler(
    Math.min(limits.recordBytes, limits.maxBodyBytes),
    limits.maxBodyBytes * hardCapFactor,
    done
  )
  try {
    agent.dispatch(
      {
        origin,
        path,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body ?? null
      },
      handler
    )
  } catch (error) {
    handler.onResponseError(undefined, error instanceof Error ? error : new Error(String(error)))
  }
  return (failure) => handler.abort(failure)
}
