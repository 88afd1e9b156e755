/**
 * Values for the string formats of JSON Schema and OpenAPI. Each value is shaped to pass the
 * project's validator (ajv-formats in full mode), which checks every generated value afterwards.
 */
import type { Random } from "./random.js"

const pad = (value: number, width: number): string => String(value).padStart(width, "0")

const hex = (random: Random, digits: number): string => {
  let out = ""
  for (let index = 0; index < digits; index++) out += random.int(0, 15).toString(16)
  return out
}

const date = (random: Random): string =>
  `${random.int(2000, 2030)}-${pad(random.int(1, 12), 2)}-${pad(random.int(1, 28), 2)}`

const time = (random: Random): string =>
  `${pad(random.int(0, 23), 2)}:${pad(random.int(0, 59), 2)}:${pad(random.int(0, 59), 2)}Z`

const uuid = (random: Random): string =>
  `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${random.pick(["8", "9", "a", "b"])}${hex(random, 3)}-${hex(random, 12)}`

/** Generates a string of `length` random bytes, one character per byte (code points 0–255), for the executor to encode. */
export const byteString = (random: Random, length: number): string => {
  let out = ""
  for (let index = 0; index < length; index++) out += String.fromCharCode(random.int(0, 255))
  return out
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/** Base64 (RFC 4648, padded) of `length` random bytes. */
const base64 = (random: Random, length: number): string => {
  const bytes = Array.from({ length }, () => random.int(0, 255))
  let out = ""
  for (let index = 0; index < bytes.length; index += 3) {
    const [a = 0, b = 0, c = 0] = bytes.slice(index, index + 3)
    const chunk = (a << 16) | (b << 8) | c
    const left = bytes.length - index
    out += base64Alphabet[(chunk >> 18) & 63]
    out += base64Alphabet[(chunk >> 12) & 63]
    out += left > 1 ? base64Alphabet[(chunk >> 6) & 63] : "="
    out += left > 2 ? base64Alphabet[chunk & 63] : "="
  }
  return out
}

const word = (random: Random, length: number): string => {
  const letters = "abcdefghijklmnopqrstuvwxyz"
  let out = ""
  for (let index = 0; index < length; index++) out += letters[random.int(0, letters.length - 1)]
  return out
}

const generators: Readonly<Record<string, (random: Random) => string>> = {
  date,
  time,
  "date-time": (random) => `${date(random)}T${time(random)}`,
  "iso-time": time,
  "iso-date-time": (random) => `${date(random)}T${time(random)}`,
  duration: (random) => `P${random.int(1, 30)}D`,
  email: (random) => `${word(random, 6)}@example.com`,
  "idn-email": (random) => `${word(random, 6)}@example.com`,
  hostname: (random) => `${word(random, 6)}.example.com`,
  "idn-hostname": (random) => `${word(random, 6)}.example.com`,
  ipv4: (random) => [0, 0, 0, 0].map(() => random.int(1, 254)).join("."),
  ipv6: (random) => Array.from({ length: 8 }, () => hex(random, 4)).join(":"),
  uri: (random) => `https://example.com/${word(random, 6)}`,
  url: (random) => `https://example.com/${word(random, 6)}`,
  iri: (random) => `https://example.com/${word(random, 6)}`,
  "uri-reference": (random) => `/${word(random, 6)}`,
  "iri-reference": (random) => `/${word(random, 6)}`,
  "uri-template": (random) => `https://example.com/${word(random, 4)}/{id}`,
  uuid,
  "json-pointer": (random) => `/${word(random, 4)}/${random.int(0, 9)}`,
  "relative-json-pointer": (random) => `${random.int(0, 3)}/${word(random, 4)}`,
  regex: (random) => `^${word(random, 4)}[0-9]+$`,
  byte: (random) => base64(random, random.int(4, 12)),
  binary: (random) => byteString(random, random.int(8, 32)),
  password: (random) => `${word(random, 8)}${random.int(10, 99)}!`
}

/** A random value of a string format, or `undefined` for a format this generator does not know. */
export const formatValue = (format: string, random: Random): string | undefined =>
  generators[format]?.(random)

/** Integer ranges that OpenAPI's numeric formats imply. */
export const formatIntegerRange = (format: unknown): readonly [number, number] | undefined => {
  if (format === "int32") return [-(2 ** 31), 2 ** 31 - 1]
  if (format === "int64") return [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]
  return undefined
}
