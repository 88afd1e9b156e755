/**
 * One HTTP attempt through undici: send the request, read the body within its caps, and turn every
 * failure into a value. Nothing here rejects.
 */
import type { Readable } from "node:stream"
import type { Agent } from "undici"
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
  | { readonly _tag: "Failure"; readonly kind: ExchangeFailure["kind"]; readonly message: string }

/**
 * Splits an absolute URL into origin and the raw path with query. The path is taken from the text,
 * not from `new URL`, which would resolve `%2E%2E` segments and change the route.
 */
export const splitUrl = (url: string): { readonly origin: string; readonly path: string } => {
  const origin = new URL(url).origin
  const authorityStart = url.indexOf("//") + 2
  const pathStart = url.slice(authorityStart).search(/[/?]/)
  if (pathStart === -1) return { origin, path: "/" }
  const path = url.slice(authorityStart + pathStart)
  return { origin, path: path.startsWith("?") ? "/" + path : path }
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

interface ReadBody {
  readonly kept: ReadonlyArray<Uint8Array>
  readonly keptBytes: number
  readonly bodyBytes: number
}

/**
 * Reads a body to its end, keeping its first `keep` bytes and counting all of them. Resolves
 * `"too_large"` and destroys the stream once more than `hardCap` bytes arrived. Rejects with the
 * stream's error. Event listeners cost less per chunk than an async iterator.
 */
const readBody = (body: Readable, keep: number, hardCap: number): Promise<ReadBody | "too_large"> =>
  new Promise((resolve, reject) => {
    const kept: Array<Uint8Array> = []
    let keptBytes = 0
    let bodyBytes = 0
    const onData = (chunk: Uint8Array) => {
      bodyBytes += chunk.byteLength
      if (bodyBytes > hardCap) {
        body.off("data", onData)
        body.destroy()
        resolve("too_large")
        return
      }
      if (keptBytes < keep) {
        const part = chunk.subarray(0, keep - keptBytes)
        kept.push(part)
        keptBytes += part.byteLength
      }
    }
    let ended = false
    body.on("data", onData)
    body.once("end", () => {
      ended = true
      resolve({ kept, keptBytes, bodyBytes })
    })
    body.once("error", reject)
    // A stream destroyed without an error never ends. The error is built only then, because a stack
    // trace on every request would cost more than reading the body.
    body.once("close", () => {
      if (!ended) reject(new Error("The response body closed before its end."))
    })
  })

/** Sends one request and reads its response. Resolves with a failure instead of rejecting. */
export const send = async (
  agent: Agent,
  request: EncodedRequest,
  limits: BodyLimits,
  signal: AbortSignal
): Promise<Attempt> => {
  let origin: string
  let path: string
  try {
    ;({ origin, path } = splitUrl(request.url))
  } catch (error) {
    return { _tag: "Failure", kind: "encoding", message: `Invalid request URL: ${String(error)}` }
  }
  try {
    const response = await agent.request({
      origin,
      path,
      method: request.method as "GET",
      headers: request.headers,
      body: request.body ?? null,
      signal
    })
    const keep = Math.min(limits.recordBytes, limits.maxBodyBytes)
    const hardCap = limits.maxBodyBytes * hardCapFactor
    const read = await readBody(response.body, keep, hardCap)
    if (read === "too_large") {
      return {
        _tag: "Failure",
        kind: "body_too_large",
        message: `The response body (status ${response.statusCode}) is larger than ${hardCap} bytes (${hardCapFactor} × maxBodyBytes); reading stopped.`
      }
    }
    const { kept, keptBytes, bodyBytes } = read
    return {
      _tag: "Response",
      status: response.statusCode,
      headers: joinHeaders(response.headers),
      body: Buffer.concat(kept).toString("utf8"),
      bodyBytes,
      truncated: bodyBytes > keptBytes
    }
  } catch (error) {
    return { _tag: "Failure", ...classifyError(error) }
  }
}
