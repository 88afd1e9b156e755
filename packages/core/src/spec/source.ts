import { createHash } from "node:crypto"
import { open } from "node:fs/promises"
import { resolve as resolvePath } from "node:path"
import { Effect } from "effect"
import { request } from "undici"
import { parse as parseYaml } from "yaml"
import { asciiJsonText } from "./asciiJson.js"
import { canonicalJson, sha256 } from "./canonical.js"
import { type SpecLoadError, specLoadError } from "./SpecLoadError.js"

/** Default limits for reading a document. */
export const defaultFetchTimeoutMs = 30_000
export const defaultMaxBytes = 256 * 1024 * 1024
const maxRedirects = 5

/** A document read from its source, before any OpenAPI interpretation. */
export interface RawDocument {
  /** File path (absolute), final URL after redirects, or `memory` / the given location. */
  readonly source: string
  /** Base for relative `$ref`s and server URLs: the absolute path or URL; absent for a bare object. */
  readonly location: string | undefined
  readonly isUrl: boolean
  readonly contentHash: string
  readonly document: unknown
  /**
   * The text the document was parsed from, or the canonical JSON of an in-memory object. A JSON file
   * may have its characters outside ASCII written as `\uXXXX` escapes (see `asciiJsonText`).
   */
  readonly text: string
  /** Whether `document` belongs to the caller, so that it must be copied before any change. */
  readonly callerOwned: boolean
}

export const isHttpUrl = (value: string): boolean => /^https?:\/\//i.test(value)

/** Reads a file and returns its bytes and their SHA-256. */
export const readSpecFile = (
  path: string,
  maxBytes: number
): Effect.Effect<{ bytes: Buffer; hash: string; path: string }, SpecLoadError> => {
  const absolute = resolvePath(path)
  return Effect.tryPromise({
    try: () => readHashing(absolute, maxBytes),
    catch: (cause) => {
      const code = (cause as { code?: unknown }).code
      return code === "ENOENT"
        ? specLoadError({
            source: absolute,
            reason: "not-found",
            detail: "the file does not exist",
            hint: "Check the path.",
            cause
          })
        : code === "EISDIR"
          ? specLoadError({
              source: absolute,
              reason: "read-failed",
              detail: "the path is a directory",
              hint: "Give the path of the spec file in it, such as openapi.yaml.",
              cause
            })
          : specLoadError({
              source: absolute,
              reason: "read-failed",
              detail: `reading the file failed (${String(code ?? cause)})`,
              hint: "Check the file's permissions.",
              cause
            })
    }
  }).pipe(
    Effect.flatMap((result) =>
      "tooLarge" in result
        ? Effect.fail(
            specLoadError({
              source: absolute,
              reason: "too-large",
              detail: `the file has ${result.tooLarge} bytes, more than the limit of ${maxBytes}`,
              hint: "Raise maxBytes in the load options."
            })
          )
        : Effect.succeed({ bytes: result.bytes, hash: result.hash, path: absolute })
    )
  )
}

/** Size of each read of `readHashing`: smaller reads add event loop turns, larger ones overlap less with hashing. */
const readChunkBytes = 2 * 1024 * 1024

/**
 * Reads a file and hashes it at the same time: while one chunk is being hashed, the next one is read
 * on the libuv thread pool. A file that is not a regular file (a pipe, a device) is read to its end.
 */
const readHashing = async (
  path: string,
  maxBytes: number
): Promise<{ readonly bytes: Buffer; readonly hash: string } | { readonly tooLarge: number }> => {
  const handle = await open(path, "r")
  try {
    const info = await handle.stat()
    if (info.size > maxBytes) return { tooLarge: info.size }
    if (!info.isFile()) {
      const bytes = await handle.readFile()
      return { bytes, hash: sha256(bytes) }
    }
    const bytes = Buffer.allocUnsafe(info.size)
    const hash = createHash("sha256")
    const readAt = (offset: number) =>
      handle.read(bytes, offset, Math.min(readChunkBytes, info.size - offset), offset)
    let offset = 0
    let pending = info.size > 0 ? readAt(0) : undefined
    while (pending !== undefined) {
      const { bytesRead } = await pending
      const start = offset
      offset += bytesRead
      // The next read starts before this chunk is hashed; a file that shrank ends at its last byte.
      pending = bytesRead > 0 && offset < info.size ? readAt(offset) : undefined
      hash.update(bytes.subarray(start, offset))
    }
    return { bytes: offset === info.size ? bytes : bytes.subarray(0, offset), hash: hash.digest("hex") }
  } finally {
    await handle.close()
  }
}

type FetchOutcome =
  | { readonly ok: true; readonly text: string; readonly hash: string; readonly url: string }
  | {
      readonly ok: false
      readonly reason: "fetch-failed" | "too-large"
      readonly detail: string
      readonly url: string
    }

/**
 * Fetches a URL with undici, following at most five redirects by hand and capping the body size.
 * NOTE: no egress policy is applied here; the server must check spec URLs before calling `loadSpec`.
 */
export const fetchSpec = (
  url: string,
  options: { readonly timeoutMs: number; readonly maxBytes: number }
): Effect.Effect<{ text: string; hash: string; url: string }, SpecLoadError> =>
  Effect.tryPromise({
    try: (signal) => fetchFollowing(url, options.maxBytes, signal),
    catch: (cause) =>
      specLoadError({
        source: url,
        reason: "fetch-failed",
        detail: `the request failed (${messageOf(cause)})`,
        hint: "Check the URL and that the server is reachable.",
        cause
      })
  }).pipe(
    Effect.timeoutFail({
      duration: options.timeoutMs,
      onTimeout: () =>
        specLoadError({
          source: url,
          reason: "fetch-timeout",
          detail: `no complete answer within ${options.timeoutMs} ms`,
          hint: "Raise fetchTimeoutMs or check the server."
        })
    }),
    Effect.flatMap((outcome) =>
      outcome.ok
        ? Effect.succeed({ text: outcome.text, hash: outcome.hash, url: outcome.url })
        : Effect.fail(
            specLoadError({
              source: outcome.url,
              reason: outcome.reason,
              detail: outcome.detail,
              hint: outcome.reason === "too-large" ? "Raise maxBytes in the load options." : "Check the URL."
            })
          )
    )
  )

const fetchFollowing = async (
  start: string,
  maxBytes: number,
  signal: AbortSignal
): Promise<FetchOutcome> => {
  let url = start
  for (let hop = 0; ; hop++) {
    const response = await request(url, {
      method: "GET",
      signal,
      headers: { accept: "application/json, application/yaml, text/yaml, */*" }
    })
    const location = response.headers.location
    if (response.statusCode >= 300 && response.statusCode < 400 && location !== undefined) {
      await response.body.dump()
      if (hop >= maxRedirects)
        return { ok: false, reason: "fetch-failed", detail: `more than ${maxRedirects} redirects`, url }
      url = new URL(Array.isArray(location) ? (location[0] ?? "") : location, url).href
      continue
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      await response.body.dump()
      return {
        ok: false,
        reason: "fetch-failed",
        detail: `the server answered HTTP ${response.statusCode}`,
        url
      }
    }
    const chunks: Array<Buffer> = []
    let size = 0
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer
      size += buffer.length
      if (size > maxBytes) {
        response.body.destroy()
        return {
          ok: false,
          reason: "too-large",
          detail: `the body is larger than the limit of ${maxBytes} bytes`,
          url
        }
      }
      chunks.push(buffer)
    }
    const bytes = Buffer.concat(chunks)
    return { ok: true, text: bytes.toString("utf8"), hash: sha256(bytes), url }
  }
}

/** Parses JSON, or YAML when the text is not JSON. */
export const parseDocumentText = (text: string, source: string): Effect.Effect<unknown, SpecLoadError> =>
  Effect.try({
    try: () => {
      const trimmed = text.trimStart()
      if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
          return JSON.parse(text) as unknown
        } catch {
          // Flow-style YAML also starts with a brace; fall through to the YAML parser.
        }
      }
      return parseYaml(text, { maxAliasCount: 10_000, uniqueKeys: false }) as unknown
    },
    catch: (cause) =>
      specLoadError({
        source,
        reason: "invalid-syntax",
        detail: `it is neither valid JSON nor valid YAML (${messageOf(cause)})`,
        hint: "Fix the syntax error it names.",
        cause
      })
  })

/**
 * Parses a document from its bytes. JSON is parsed from its ASCII-escaped text when `asciiJsonText`
 * can build one; anything else is decoded as UTF-8 and goes through `parseDocumentText`.
 */
export const parseDocumentBytes = (
  bytes: Buffer,
  source: string
): Effect.Effect<{ text: string; document: unknown }, SpecLoadError> => {
  const ascii = asciiJsonText(bytes)
  if (ascii !== undefined) {
    try {
      return Effect.succeed({ text: ascii, document: JSON.parse(ascii) as unknown })
    } catch {
      // Not JSON after all (flow-style YAML, or a syntax error): the UTF-8 path reports it.
    }
  }
  const text = bytes.toString("utf8")
  return Effect.map(parseDocumentText(text, source), (document) => ({ text, document }))
}

/** Reads and parses a document from a path, a URL or an in-memory object. */
export const readDocument = (
  source: string | { readonly document: object; readonly location?: string },
  options: { readonly timeoutMs: number; readonly maxBytes: number }
): Effect.Effect<RawDocument, SpecLoadError> => {
  if (typeof source !== "string") {
    return Effect.try({
      try: () => canonicalJson(source.document),
      catch: (cause) =>
        specLoadError({
          source: source.location ?? "memory",
          reason: "invalid-syntax",
          detail: "the object cannot be written as JSON",
          hint: "Pass a plain JSON-compatible object.",
          cause
        })
    }).pipe(
      Effect.map((text): RawDocument => {
        const location =
          source.location === undefined
            ? undefined
            : isHttpUrl(source.location)
              ? source.location
              : resolvePath(source.location)
        const isUrl = location !== undefined && isHttpUrl(location)
        return {
          source: source.location ?? "memory",
          location,
          isUrl,
          contentHash: sha256(text),
          document: source.document,
          text,
          callerOwned: true
        }
      })
    )
  }
  if (isHttpUrl(source)) {
    return fetchSpec(source, options).pipe(
      Effect.flatMap(({ text, hash, url }) =>
        parseDocumentText(text, url).pipe(
          Effect.map(
            (document): RawDocument => ({
              source: url,
              location: url,
              isUrl: true,
              contentHash: hash,
              document,
              text,
              callerOwned: false
            })
          )
        )
      )
    )
  }
  return readSpecFile(source, options.maxBytes).pipe(
    Effect.flatMap(({ bytes, hash, path }) =>
      parseDocumentBytes(bytes, path).pipe(
        Effect.map(
          ({ text, document }): RawDocument => ({
            source: path,
            location: path,
            isUrl: false,
            contentHash: hash,
            document,
            text,
            callerOwned: false
          })
        )
      )
    )
  )
}

export const messageOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))
