/**
 * Parameter serialization by OpenAPI `style` and `explode`, with percent-encoding per RFC 3986.
 *
 * Path values are encoded so that each one stays a single path segment. Query values keep the
 * reserved characters only with `allowReserved`. Header values are checked, not encoded, because
 * HTTP carries Latin-1 text as it is.
 */
import { Either } from "effect"
import type { ParameterLocation, ParameterStyle } from "../spec/model.js"
import { EncodingError, type EncodingLocation } from "./EncodingError.js"

/** Serialization settings of one parameter (or form property). */
export interface SerializationRule {
  readonly name: string
  readonly in: ParameterLocation
  readonly style: ParameterStyle
  readonly explode: boolean
  readonly allowReserved: boolean
}

/** A value reduced to the three shapes of the OpenAPI style table. */
type Shaped =
  | { readonly kind: "primitive"; readonly value: string }
  | { readonly kind: "array"; readonly items: ReadonlyArray<string> }
  | { readonly kind: "object"; readonly entries: ReadonlyArray<readonly [string, string]> }

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Converts a plain JSON value to text; objects nested below the first level become JSON. */
export const toText = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value)
  return JSON.stringify(value) ?? ""
}

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

// NOTE: the OpenAPI table defines only one level; nested arrays and objects are sent as JSON text.
const shape = (value: unknown): Shaped => {
  if (Array.isArray(value)) return { kind: "array", items: value.map(toText) }
  if (isPlainObject(value)) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => [key, toText(item)] as const)
    return { kind: "object", entries }
  }
  return { kind: "primitive", value: toText(value) }
}

const percentEncodeByte = (byte: number): string => "%" + byte.toString(16).toUpperCase().padStart(2, "0")

const utf8 = new TextEncoder()

const encodeWith = (text: string, keep: (char: string) => boolean): string => {
  let out = ""
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!
    if (char === "%" && keep("%") && /^[0-9A-Fa-f]{2}$/.test(text.slice(index + 1, index + 3))) {
      out += text.slice(index, index + 3)
      index += 2
      continue
    }
    if (char !== "%" && keep(char)) {
      out += char
      continue
    }
    const codePoint = text.codePointAt(index)!
    const whole = String.fromCodePoint(codePoint)
    if (whole.length === 2) index++
    for (const byte of utf8.encode(whole)) out += percentEncodeByte(byte)
  }
  return out
}

const unreserved = /^[A-Za-z0-9\-._~]$/
// Text made of unreserved characters only, which every encoder here returns unchanged.
const allUnreserved = /^[A-Za-z0-9\-._~]*$/
// Characters RFC 3986 allows in a query besides unreserved ones; `#`, `[` and `]` are not among them.
const queryReserved = /^[!$&'()*+,;=:@/?]$/

/** Percent-encodes everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`). */
export const encodeStrict = (text: string): string =>
  allUnreserved.test(text) ? text : encodeWith(text, (char) => unreserved.test(char))

/** Percent-encodes for a query value with `allowReserved`: reserved characters and `%XX` stay. */
export const encodeQueryReserved = (text: string): string =>
  allUnreserved.test(text)
    ? text
    : encodeWith(text, (char) => char === "%" || unreserved.test(char) || queryReserved.test(char))

/** Rejects text that cannot be percent-encoded because it contains a lone UTF-16 surrogate. */
export const checkWellFormed = (
  text: string,
  location: EncodingLocation,
  parameter: string
): Either.Either<string, EncodingError> =>
  loneSurrogate.test(text) ? Either.left(loneSurrogateError(location, parameter)) : Either.right(text)

/** Builds the error for a parameter whose value contains a lone UTF-16 surrogate. */
export const loneSurrogateError = (location: EncodingLocation, parameter: string): EncodingError =>
  new EncodingError({
    location,
    parameter,
    message: `The value of ${location} parameter "${parameter}" is invalid: it contains a lone UTF-16 surrogate, which has no UTF-8 encoding.`
  })

// `String.prototype.isWellFormed` (Node 20) is native; it is not in the ES2023 library types.
const wellFormed = (text: string): boolean =>
  (text as string & { isWellFormed?: () => boolean }).isWellFormed?.() ?? !loneSurrogate.test(text)

/**
 * Tests whether a JSON-like value contains a lone surrogate in a string or an object key. It walks the value
 * instead of serializing it, because `JSON.stringify` escapes lone surrogates and would hide them.
 */
export const hasLoneSurrogate = (value: unknown): boolean => {
  if (typeof value === "string") return !wellFormed(value)
  if (typeof value !== "object" || value === null) return false
  if (Array.isArray(value)) return value.some(hasLoneSurrogate)
  for (const key in value) {
    if (!wellFormed(key) || hasLoneSurrogate((value as Record<string, unknown>)[key])) return true
  }
  return false
}

const flatten = (entries: ReadonlyArray<readonly [string, string]>): ReadonlyArray<string> => entries.flat()

/**
 * Serializes a path parameter to one path segment (styles `simple`, `label`, `matrix`). `/`, `?`,
 * `#` and `%` are always percent-encoded, and a segment of only dots becomes `%2E`s, so the value
 * never changes the route.
 */
export const serializePath = (rule: SerializationRule, value: unknown): string => {
  const shaped = shape(value)
  const e = encodeStrict
  const name = e(rule.name)
  let segment: string
  switch (rule.style) {
    case "label": {
      const separator = rule.explode ? "." : ","
      if (shaped.kind === "primitive") segment = "." + e(shaped.value)
      else if (shaped.kind === "array") segment = "." + shaped.items.map(e).join(separator)
      else if (rule.explode) segment = "." + shaped.entries.map(([k, v]) => `${e(k)}=${e(v)}`).join(".")
      else segment = "." + flatten(shaped.entries).map(e).join(",")
      break
    }
    case "matrix": {
      const pair = (key: string, text: string) => (text === "" ? `;${key}` : `;${key}=${text}`)
      if (shaped.kind === "primitive") segment = pair(name, e(shaped.value))
      else if (shaped.kind === "array")
        segment =
          rule.explode && shaped.items.length > 0
            ? shaped.items.map((item) => pair(name, e(item))).join("")
            : pair(name, shaped.items.map(e).join(","))
      else if (rule.explode && shaped.entries.length > 0)
        segment = shaped.entries.map(([k, v]) => pair(e(k), e(v))).join("")
      else segment = pair(name, flatten(shaped.entries).map(e).join(","))
      break
    }
    default: {
      if (shaped.kind === "primitive") segment = e(shaped.value)
      else if (shaped.kind === "array") segment = shaped.items.map(e).join(",")
      else if (rule.explode) segment = shaped.entries.map(([k, v]) => `${e(k)}=${e(v)}`).join(",")
      else segment = flatten(shaped.entries).map(e).join(",")
    }
  }
  // `.` is unreserved and so survives encodeStrict; a segment of only dots would be a relative step.
  return /^\.+$/.test(segment) ? segment.replaceAll(".", "%2E") : segment
}

const delimiters: Partial<Record<ParameterStyle, string>> = {
  spaceDelimited: "%20",
  pipeDelimited: "%7C"
}

const deepObjectPairs = (
  prefix: string,
  value: unknown,
  encodeValue: (text: string) => string
): ReadonlyArray<string> => {
  if (isPlainObject(value)) {
    return Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .flatMap(([key, item]) => deepObjectPairs(`${prefix}[${key}]`, item, encodeValue))
  }
  // NOTE: deepObject defines no array form; an array property repeats its key, as form explode does.
  if (Array.isArray(value)) return value.flatMap((item) => deepObjectPairs(prefix, item, encodeValue))
  return [`${encodeStrict(prefix)}=${encodeValue(toText(value))}`]
}

/**
 * Serializes a query parameter (or a form-urlencoded property) to `name=value` pairs, already
 * percent-encoded, for joining with `&`. Styles: `form`, `spaceDelimited`, `pipeDelimited`,
 * `deepObject`. An `undefined` value gives no pair.
 */
export const serializeQuery = (rule: SerializationRule, value: unknown): ReadonlyArray<string> => {
  if (value === undefined) return []
  const encodeValue = rule.allowReserved ? encodeQueryReserved : encodeStrict
  const name = encodeStrict(rule.name)
  // Most values are scalars, which every style sends as `name=value`.
  if (typeof value !== "object" || value === null) return [`${name}=${encodeValue(toText(value))}`]
  if (rule.style === "deepObject" && isPlainObject(value))
    return deepObjectPairs(rule.name, value, encodeValue)
  const shaped = shape(value)
  if (shaped.kind === "primitive") return [`${name}=${encodeValue(shaped.value)}`]
  const delimiter = delimiters[rule.style] ?? ","
  if (shaped.kind === "array") {
    if (rule.explode && shaped.items.length > 0)
      return shaped.items.map((item) => `${name}=${encodeValue(item)}`)
    return [`${name}=${shaped.items.map(encodeValue).join(delimiter)}`]
  }
  if (rule.explode && shaped.entries.length > 0)
    return shaped.entries.map(([key, item]) => `${encodeStrict(key)}=${encodeValue(item)}`)
  return [`${name}=${flatten(shaped.entries).map(encodeValue).join(delimiter)}`]
}

/**
 * Serializes a cookie parameter (style `form`) to `name=value` pairs for joining with `; `. Values
 * are percent-encoded, since a cookie value may not hold spaces, `;`, `,` or quotes.
 */
export const serializeCookie = (rule: SerializationRule, value: unknown): ReadonlyArray<string> => {
  if (value === undefined) return []
  const e = encodeStrict
  const name = e(rule.name)
  const shaped = shape(value)
  if (shaped.kind === "primitive") return [`${name}=${e(shaped.value)}`]
  if (shaped.kind === "array") {
    if (rule.explode && shaped.items.length > 0) return shaped.items.map((item) => `${name}=${e(item)}`)
    return [`${name}=${shaped.items.map(e).join(",")}`]
  }
  if (rule.explode && shaped.entries.length > 0)
    return shaped.entries.map(([key, item]) => `${e(key)}=${e(item)}`)
  return [`${name}=${flatten(shaped.entries).map(e).join(",")}`]
}

/** Serializes a header parameter (style `simple`) to its field value, without any encoding. */
export const serializeHeader = (rule: SerializationRule, value: unknown): string => {
  const shaped = shape(value)
  if (shaped.kind === "primitive") return shaped.value
  if (shaped.kind === "array") return shaped.items.join(",")
  if (rule.explode) return shaped.entries.map(([key, item]) => `${key}=${item}`).join(",")
  return flatten(shaped.entries).join(",")
}

const headerToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// Field values may hold HTAB, visible ASCII and obs-text (0x80-0xFF) only (RFC 9110 section 5.5).
const invalidFieldValue = /[^\t\x20-\x7E\x80-\xFF]/

/** Checks that a header name is a token and its value is text HTTP/1.1 can carry (no CR, LF, NUL). */
export const checkHeader = (
  name: string,
  value: string,
  location: EncodingLocation = "header"
): Either.Either<string, EncodingError> => {
  if (!headerToken.test(name)) {
    return Either.left(
      new EncodingError({
        location,
        parameter: name,
        message: `Header name "${name}" is not a valid HTTP token; use letters, digits and !#$%&'*+-.^_\`|~ only.`
      })
    )
  }
  const bad = invalidFieldValue.exec(value)
  if (bad !== null) {
    const code = bad[0].codePointAt(0)!
    const what =
      code > 0xff
        ? "a character outside Latin-1"
        : `the control character U+${code.toString(16).toUpperCase().padStart(4, "0")}`
    return Either.left(
      new EncodingError({
        location,
        parameter: name,
        message: `The value of header "${name}" is invalid: it contains ${what}, which an HTTP header cannot carry.`
      })
    )
  }
  return Either.right(value)
}
