/**
 * Text helpers shared by the report renderers: escaping for XML and HTML, and the small formatting
 * rules (durations, status lists, check order) every format applies the same way.
 */
import { allCheckNames } from "../check/Check.js"

/**
 * Code points that XML 1.0 forbids in a document: C0 controls other than tab, LF and CR, lone
 * surrogates, U+FFFE and U+FFFF. Recorded bodies can contain any of them.
 */
const forbiddenInXml = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Removes the code points that XML 1.0 (and so HTML) does not allow in a document. */
export const stripForbiddenCharacters = (text: string): string => text.replace(forbiddenInXml, "")

const xmlEntities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;"
}

/** Escapes text for XML element content. */
export const escapeXmlText = (text: string): string =>
  stripForbiddenCharacters(text).replace(/[&<>]/g, (char) => xmlEntities[char] ?? char)

/**
 * Escapes text for a double- or single-quoted XML attribute. Line breaks and tabs become character
 * references, because a parser would otherwise normalize them to spaces.
 */
export const escapeXmlAttribute = (text: string): string =>
  stripForbiddenCharacters(text)
    .replace(/[&<>"']/g, (char) => xmlEntities[char] ?? char)
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;")

const htmlEntities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
}

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (text: string): string =>
  stripForbiddenCharacters(text).replace(/[&<>"']/g, (char) => htmlEntities[char] ?? char)

/** Seconds between two ISO 8601 timestamps, or undefined when either is missing or invalid. */
export const durationSeconds = (startedAt: string, finishedAt: string | undefined): number | undefined => {
  if (finishedAt === undefined) return undefined
  const start = Date.parse(startedAt)
  const end = Date.parse(finishedAt)
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return undefined
  return (end - start) / 1000
}

const knownCheckOrder = new Map<string, number>(allCheckNames.map((name, index) => [name, index]))

/** Orders check names as the check catalogue lists them, unknown names after them alphabetically. */
export const compareCheckNames = (left: string, right: string): number => {
  const leftIndex = knownCheckOrder.get(left) ?? Number.MAX_SAFE_INTEGER
  const rightIndex = knownCheckOrder.get(right) ?? Number.MAX_SAFE_INTEGER
  if (leftIndex !== rightIndex) return leftIndex - rightIndex
  return compareStrings(left, right)
}

/** Compares strings by UTF-16 code units, like the default `Array.prototype.sort`, so the order is locale-independent. */
export const compareStrings = (left: string, right: string): number => {
  if (left < right) return -1
  if (left > right) return 1
  return 0
}

/** `GET /pets/{petId}`: the label every format uses for an operation. */
export const operationLabel = (method: string, path: string): string => `${method.toUpperCase()} ${path}`
