/**
 * Scalar values (strings and numbers) that meet a flattened schema's constraints: lengths, patterns,
 * formats, ranges with exclusive bounds, and `multipleOf`.
 */
import RandExp from "randexp"
import { byteString, formatIntegerRange, formatValue } from "./formats.js"
import type { Random } from "./random.js"
import type { SchemaObject } from "./resolve.js"

/** Result of generating one value: the value, or why none could be made. */
export type Generated =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string }

/** Wraps a generated value. */
export const ok = (value: unknown): Generated => ({ ok: true, value })
/** Reports why no value could be generated. */
export const fail = (reason: string): Generated => ({ ok: false, reason })

/** Maximum string length this generator writes; a larger `minLength` makes the schema count as unsatisfiable. */
export const maxGeneratedLength = 65_536

const numberOr = (value: unknown, fallback: number): number => (typeof value === "number" ? value : fallback)

/** Builds a string of exactly `length` characters from lowercase letters and digits. */
export const plainString = (random: Random, length: number): string => {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
  let out = ""
  for (let index = 0; index < length; index++) out += alphabet[random.int(0, alphabet.length - 1)]
  return out
}

/** Cached regex and randexp generator of one pattern; `undefined` when either fails to compile. */
interface PatternTools {
  readonly regex: RegExp
  readonly generator: RandExp
}

const patternCache = new Map<string, PatternTools | undefined>()
/** Maximum number of cached patterns; the cache is cleared when it grows past this. */
const maxCachedPatterns = 1000

/**
 * Lowers the upper bound of wide `{m,n}` quantifiers to `max(m, floor) + 16` for generation, since
 * randexp builds strings one character at a time and a bound such as `{0,1024}` makes that slow.
 * A shorter repetition still matches the original pattern, which is checked afterwards.
 */
const narrowQuantifiers = (pattern: string, floor: number): string =>
  pattern.replace(/(^|[^\\])\{(\d+),(\d+)\}/g, (whole, before: string, low: string, high: string) => {
    const cap = Math.max(Number(low), floor) + 16
    return Number(high) > cap ? `${before}{${low},${cap}}` : whole
  })

const patternTools = (pattern: string, floor: number): PatternTools | undefined => {
  const key = `${floor}:${pattern}`
  if (patternCache.has(key)) return patternCache.get(key)
  if (patternCache.size >= maxCachedPatterns) patternCache.clear()
  let tools: PatternTools | undefined
  try {
    tools = { regex: new RegExp(pattern), generator: new RandExp(narrowQuantifiers(pattern, floor)) }
  } catch {
    tools = undefined
  }
  patternCache.set(key, tools)
  return tools
}

/** Generates a string matching `pattern` with randexp driven by `random`; `undefined` when it cannot. */
export const patternString = (
  random: Random,
  pattern: string,
  minLength: number,
  maxLength: number
): string | undefined => {
  const tools = patternTools(pattern, minLength)
  if (tools === undefined) return undefined
  const { regex, generator } = tools
  generator.randInt = (from, to) => random.int(from, to)
  // randexp repeats an unbounded quantifier up to `min + max` times.
  generator.max = Math.max(1, Math.min(16, maxLength))
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = runGenerator(generator)
    if (candidate === undefined) return undefined
    if (candidate.length >= minLength && candidate.length <= maxLength && regex.test(candidate)) {
      return candidate
    }
  }
  return undefined
}

/**
 * Generates a string of exactly `length` characters matching `pattern`: the string randexp gives with
 * the fewest repetitions and first alternatives, lengthened with `extendToLength` when shorter.
 */
export const shortestPatternString = (pattern: string, length: number): string | undefined => {
  const tools = patternTools(pattern, 0)
  if (tools === undefined) return undefined
  tools.generator.randInt = (from) => from
  tools.generator.max = 0
  const candidate = runGenerator(tools.generator)
  if (candidate === undefined || candidate.length > length || !tools.regex.test(candidate)) return undefined
  return candidate.length === length ? candidate : extendToLength(pattern, candidate, length)
}

/**
 * Lengthens `value` to exactly `length` characters by repeating its last (or first) character, if the
 * result still matches `pattern`. randexp's longest output is not used for this, since nested unbounded
 * quantifiers multiply and can yield millions of characters.
 */
export const extendToLength = (pattern: string, value: string, length: number): string | undefined => {
  const tools = patternTools(pattern, 0)
  if (tools === undefined || value.length === 0 || value.length > length) return undefined
  const missing = length - value.length
  const candidates = [value + value.slice(-1).repeat(missing), value.slice(0, 1).repeat(missing) + value]
  return candidates.find((candidate) => tools.regex.test(candidate))
}

// randexp throws on a few constructs it cannot expand; such a pattern counts as not generated.
const runGenerator = (generator: RandExp): string | undefined => {
  try {
    return generator.gen()
  } catch {
    return undefined
  }
}

/** Generates a string for a schema whose type is `string`. */
export const generateString = (random: Random, schema: SchemaObject): Generated => {
  const minLength = numberOr(schema.minLength, 0)
  const maxLength = numberOr(schema.maxLength, Number.POSITIVE_INFINITY)
  if (minLength > maxLength) return fail(`minLength ${minLength} is greater than maxLength ${maxLength}`)
  if (minLength > maxGeneratedLength) return fail(`minLength ${minLength} exceeds ${maxGeneratedLength}`)
  if (typeof schema.pattern === "string") {
    const value = patternString(random, schema.pattern, minLength, maxLength)
    return value === undefined
      ? fail(`no string of the allowed length matches pattern ${schema.pattern}`)
      : ok(value)
  }
  const upper = Math.min(maxLength, Math.max(minLength, 12))
  if (schema.format === "binary") return ok(byteString(random, random.int(Math.max(minLength, 1), upper)))
  if (typeof schema.format === "string") {
    const value = formatValue(schema.format, random)
    if (value !== undefined) return ok(value)
  }
  const lower = Math.min(upper, Math.max(minLength, 6))
  return ok(plainString(random, random.int(lower, upper)))
}

/** Lower and upper integer bounds of a schema, exclusive bounds turned inclusive. */
export const integerBounds = (schema: SchemaObject): readonly [number, number] => {
  let low = Number.NEGATIVE_INFINITY
  let high = Number.POSITIVE_INFINITY
  if (typeof schema.minimum === "number") low = Math.ceil(schema.minimum)
  if (typeof schema.exclusiveMinimum === "number")
    low = Math.max(low, Math.floor(schema.exclusiveMinimum) + 1)
  if (typeof schema.maximum === "number") high = Math.floor(schema.maximum)
  if (typeof schema.exclusiveMaximum === "number")
    high = Math.min(high, Math.ceil(schema.exclusiveMaximum) - 1)
  const range = formatIntegerRange(schema.format)
  if (range !== undefined) return [Math.max(low, range[0]), Math.min(high, range[1])]
  return [Math.max(low, Number.MIN_SAFE_INTEGER), Math.min(high, Number.MAX_SAFE_INTEGER)]
}

/** Picks an integer in [low, high], staying near the finite end when the range is very wide. */
const pickInRange = (random: Random, low: number, high: number): number => {
  const window = 1000
  if (high - low <= window) return random.int(low, high)
  if (low > -window && high < window) return random.int(low, high)
  if (low <= 1 && high >= window) return random.int(Math.max(low, 1), window)
  if (low > 1) return random.int(low, low + window)
  return random.int(high - window, high)
}

/** Rounds away the binary noise of a product such as `3 * 0.1`. */
export const tidy = (value: number): number => Number(value.toPrecision(12))

const multipleValue = (random: Random, schema: SchemaObject, integer: boolean, step: number): Generated => {
  let unit = step
  if (integer && !Number.isInteger(step)) {
    const factor = [2, 4, 5, 8, 10, 20, 25, 50, 100, 1000].find((n) => Number.isInteger(tidy(n * step)))
    if (factor === undefined) return fail(`no integer is a multiple of ${step}`)
    unit = tidy(factor * step)
  }
  const [low, high] = integer ? integerBounds(schema) : realBounds(schema)
  let first = Math.ceil(low / unit)
  let last = Math.floor(high / unit)
  if (!integer && schema.exclusiveMinimum === first * unit) first++
  if (!integer && schema.exclusiveMaximum === last * unit) last--
  if (first > last) return fail(`no multiple of ${step} lies between ${low} and ${high}`)
  return ok(tidy(pickInRange(random, first, last) * unit))
}

const realBounds = (schema: SchemaObject): readonly [number, number] => {
  const low = Math.max(numberOr(schema.minimum, -1e15), numberOr(schema.exclusiveMinimum, -1e15))
  const high = Math.min(numberOr(schema.maximum, 1e15), numberOr(schema.exclusiveMaximum, 1e15))
  return [low, high]
}

/** Generates a number (or an integer when `integer`) that meets the schema's range and `multipleOf`. */
export const generateNumber = (random: Random, schema: SchemaObject, integer: boolean): Generated => {
  if (typeof schema.multipleOf === "number" && schema.multipleOf > 0) {
    return multipleValue(random, schema, integer, schema.multipleOf)
  }
  if (integer) {
    const [low, high] = integerBounds(schema)
    if (low > high) return fail(`no integer lies between ${low} and ${high}`)
    return ok(pickInRange(random, low, high))
  }
  const [low, high] = realBounds(schema)
  if (low > high || (low === high && (schema.exclusiveMinimum === low || schema.exclusiveMaximum === high))) {
    return fail(`no number lies between ${low} and ${high}`)
  }
  // Values are drawn from a window of at most 1000 near zero, or near the finite bound.
  let spanLow = Math.max(low, high - 1000)
  if (low > 0) spanLow = low
  else if (high >= 1000) spanLow = Math.max(low, 0)
  const spanHigh = Math.min(high, spanLow + 1000)
  const rounded = Math.round((spanLow + random.next() * (spanHigh - spanLow)) * 100) / 100
  const inside = rounded >= low && rounded <= high
  const excluded = rounded === schema.exclusiveMinimum || rounded === schema.exclusiveMaximum
  return ok(inside && !excluded ? rounded : (spanLow + spanHigh) / 2)
}
