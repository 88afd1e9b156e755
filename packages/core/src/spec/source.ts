import { readFile, stat } from "node:fs/promises"
import { resolve as resolvePath } from "node:path"
import { Effect } from "effect"
import { request } from "undici"
import { parse as parseYaml } from "yaml"
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
  /** The text the document was parsed from, or the canonical JSON of an in-memory object. */
  readonly text: string
  /** Whether `document` belongs to the caller, so that it must be copied before any change. */
  readonly callerOwned: boolean
}

export const isHttpUrl = (value: string): boolean => /^https?:\/\//i.test(value)

/** Reads a file and returns its text and the SHA-256 of its bytes. */
export const readSpecFile = (
  path: string,
  maxBytes: number
): Effect.Effect<{ text: string; hash: string; path: string }, SpecLoadError> => {
  const absolute = resolvePath(path)
  return Effect.tryPromise({
    try: async () => {
      const info = await stat(absolute)
      if (info.size > maxBytes) return { tooLarge: info.size } as const
      const bytes = await readFile(absolute)
      return { text: bytes.toString("utf8"), hash: sha256(bytes) } as const
    },
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
        : Effect.succeed({ text: result.text, hash: result.hash, path: absolute })
    )
  )
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
    Effect.flatMap(({ text, hash, path }) =>
      parseDocumentText(text, path).pipe(
        Effect.map(
          (document): RawDocument => ({
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
