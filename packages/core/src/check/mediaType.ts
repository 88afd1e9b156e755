/**
 * Media types of responses and the media ranges a spec declares. Parameters such as `charset` are
 * ignored and names compare case-insensitively, as RFC 9110 section 8.3.1 defines them.
 */
import type { MediaType } from "../spec/model.js"

/** A media type split into its parts, lowercase, without parameters. */
export interface ParsedMediaType {
  /** `application` in `application/problem+json`. */
  readonly type: string
  /** `problem+json` in `application/problem+json`. */
  readonly subtype: string
  /** `json` in `application/problem+json`; undefined when the subtype has no `+suffix`. */
  readonly suffix?: string
  /** `type/subtype`, such as `application/problem+json`. */
  readonly essence: string
}

const token = /^[!#$%&'*+.^_`|~0-9a-z-]+$/

// Parsed values by text. The responses of a run carry few distinct content types, and several checks
// parse the same value for every response. A full cache is cleared, which costs only parsing again.
const parsedCache = new Map<string, ParsedMediaType | undefined>()
const parsedCacheSize = 256

/** Parses a `content-type` value or a declared media range; undefined when it is not `type/subtype`. */
export const parseMediaType = (value: string): ParsedMediaType | undefined => {
  const cached = parsedCache.get(value)
  if (cached !== undefined || parsedCache.has(value)) return cached
  const parsed = parseUncached(value)
  if (parsedCache.size >= parsedCacheSize) parsedCache.clear()
  parsedCache.set(value, parsed)
  return parsed
}

const parseUncached = (value: string): ParsedMediaType | undefined => {
  const essence = (value.split(";", 1)[0] ?? "").trim().toLowerCase()
  const slash = essence.indexOf("/")
  if (slash <= 0) return undefined
  const type = essence.slice(0, slash)
  const subtype = essence.slice(slash + 1)
  if (!token.test(type) || !token.test(subtype)) return undefined
  const plus = subtype.lastIndexOf("+")
  const suffix = plus >= 0 ? subtype.slice(plus + 1) : ""
  return suffix === "" ? { type, subtype, essence } : { type, subtype, suffix, essence }
}

/** Tests whether a media type carries JSON: `application/json`, `text/json` or any `+json` subtype. */
export const isJsonMediaType = (mediaType: ParsedMediaType | string | undefined): boolean => {
  const parsed = typeof mediaType === "string" ? parseMediaType(mediaType) : mediaType
  if (parsed === undefined) return false
  return parsed.subtype === "json" || parsed.suffix === "json"
}

/**
 * Ranks how a declared media range covers an actual media type: 4 exact, 3 `application/json`
 * covering a `+json` type, 2 `type/*+suffix`, 1 `type/*`, 0 `*\/*`, undefined when it does not
 * cover it. A higher rank is a more specific match.
 */
export const mediaRangeRank = (range: ParsedMediaType, actual: ParsedMediaType): number | undefined => {
  if (range.essence === actual.essence) return 4
  // A declared `application/json` accepts `application/problem+json` and the like: the body is JSON
  // either way, and error responses often use a `+json` type that specs leave out.
  if (range.essence === "application/json" && actual.type === "application" && actual.suffix === "json")
    return 3
  if (range.type === "*" && range.subtype === "*") return 0
  if (range.type !== actual.type) return undefined
  if (range.subtype === "*") return 1
  // `application/*+json` is not an RFC 9110 media range, but specs use it for "any JSON subtype".
  if (range.subtype.startsWith("*+") && range.suffix !== undefined && range.suffix === actual.suffix) return 2
  return undefined
}

/** Returns the declared media type that covers `contentType` most specifically, if any does. */
export const matchMediaType = (
  declared: ReadonlyArray<MediaType>,
  contentType: string
): MediaType | undefined => {
  const actual = parseMediaType(contentType)
  if (actual === undefined) return undefined
  let best: MediaType | undefined
  let bestRank = -1
  for (const candidate of declared) {
    const range = parseMediaType(candidate.mediaType)
    if (range === undefined) continue
    const rank = mediaRangeRank(range, actual)
    if (rank !== undefined && rank > bestRank) {
      best = candidate
      bestRank = rank
    }
  }
  return best
}
