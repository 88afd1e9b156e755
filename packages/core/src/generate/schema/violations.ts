/**
 * Candidate invalid values for one node: each breaks one constraint of the node's flattened schema.
 * Callers confirm with the validator that the whole request really became invalid.
 */
import { declaredTypes } from "./merge.js"
import { makeRandom } from "./random.js"
import type { SchemaObject } from "./resolve.js"
import { plainString } from "./scalars.js"

/** One invalid value for a node, with the rule it breaks. */
export interface Violation {
  /** Provenance rule, such as `negative.out-of-range`. */
  readonly rule: string
  readonly value: unknown
  readonly description: string
}

/** Largest length for which a too-long string or array is built. */
const maxViolationLength = 65_536

const jsonType = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "array"
      : typeof value === "number"
        ? "number"
        : typeof value

// One representative per JSON type; an integer-typed schema also rejects the fractional number.
const wrongTypeCandidates: ReadonlyArray<unknown> = [
  "not-a-valid-type",
  12.5,
  true,
  { unexpected: true },
  ["unexpected"],
  null
]

const wrongType = (schema: SchemaObject, text: boolean): ReadonlyArray<Violation> => {
  const types = declaredTypes(schema)
  if (types === undefined || types.length === 0) return []
  // On the wire a parameter or form field is text, so a wrong type there can only be a non-numeric text.
  if (text) {
    if (types.includes("string")) return []
    return [
      {
        rule: "negative.wrong-type",
        value: "not-a-valid-type",
        description: `text where ${types.join(" or ")} is expected`
      }
    ]
  }
  const allowed = (candidate: unknown): boolean => {
    const type = jsonType(candidate)
    if (type === "number")
      return types.includes("number") || (types.includes("integer") && Number.isInteger(candidate))
    return types.includes(type)
  }
  const candidate = wrongTypeCandidates.find((item) => !allowed(item))
  if (candidate === undefined) return []
  return [
    {
      rule: "negative.wrong-type",
      value: candidate,
      description: `${jsonType(candidate)} where ${types.join(" or ")} is expected`
    }
  ]
}

const outOfRange = (schema: SchemaObject, value: unknown): ReadonlyArray<Violation> => {
  if (typeof value !== "number") return []
  const out: Array<Violation> = []
  const add = (candidate: number, description: string) =>
    out.push({ rule: "negative.out-of-range", value: candidate, description })
  if (typeof schema.minimum === "number")
    add(Math.floor(schema.minimum) - 1, `below minimum ${schema.minimum}`)
  if (typeof schema.exclusiveMinimum === "number")
    add(schema.exclusiveMinimum, `equal to exclusiveMinimum ${schema.exclusiveMinimum}`)
  if (typeof schema.maximum === "number")
    add(Math.ceil(schema.maximum) + 1, `above maximum ${schema.maximum}`)
  if (typeof schema.exclusiveMaximum === "number")
    add(schema.exclusiveMaximum, `equal to exclusiveMaximum ${schema.exclusiveMaximum}`)
  return out
}

const lengths = (schema: SchemaObject, value: unknown): ReadonlyArray<Violation> => {
  const out: Array<Violation> = []
  if (typeof value === "string") {
    const { maxLength, minLength } = schema
    if (typeof maxLength === "number" && maxLength < maxViolationLength) {
      const longer = value + plainString(makeRandom(maxLength), maxLength + 1 - value.length)
      out.push({
        rule: "negative.too-long",
        value: longer,
        description: `${maxLength + 1} characters, above maxLength ${maxLength}`
      })
    }
    if (typeof minLength === "number" && minLength > 0) {
      out.push({
        rule: "negative.too-short",
        value: value.slice(0, minLength - 1),
        description: `${minLength - 1} characters, below minLength ${minLength}`
      })
    }
  }
  if (Array.isArray(value)) {
    const { maxItems, minItems } = schema
    if (typeof maxItems === "number" && maxItems < 1000) {
      const filler = value.length > 0 ? value : ["unexpected"]
      const longer = Array.from({ length: maxItems + 1 }, (_, index) => filler[index % filler.length])
      out.push({
        rule: "negative.too-long",
        value: longer,
        description: `${maxItems + 1} items, above maxItems ${maxItems}`
      })
    }
    if (typeof minItems === "number" && minItems > 0) {
      out.push({
        rule: "negative.too-short",
        value: value.slice(0, minItems - 1),
        description: `${minItems - 1} items, below minItems ${minItems}`
      })
    }
  }
  return out
}

const patternMismatch = (schema: SchemaObject, value: unknown): ReadonlyArray<Violation> => {
  if (typeof schema.pattern !== "string" || typeof value !== "string") return []
  let regex: RegExp
  try {
    regex = new RegExp(schema.pattern)
  } catch {
    return []
  }
  const min = typeof schema.minLength === "number" ? schema.minLength : 0
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY
  const candidates = ["!", "~!~", `${value}!`, `!${value}`, "not matching", " ", "0", "a", ""]
  const fits = candidates.filter((text) => !regex.test(text))
  const candidate = fits.find((text) => text.length >= min && text.length <= max) ?? fits[0]
  if (candidate === undefined) return []
  return [
    {
      rule: "negative.pattern",
      value: candidate,
      description: `"${candidate}" does not match pattern ${schema.pattern}`
    }
  ]
}

const notInEnum = (schema: SchemaObject): ReadonlyArray<Violation> => {
  const allowed = Array.isArray(schema.enum)
    ? schema.enum
    : schema.const !== undefined
      ? [schema.const]
      : undefined
  if (allowed === undefined || allowed.length === 0) return []
  const numbers = allowed.filter((item): item is number => typeof item === "number")
  const strings = allowed.filter((item): item is string => typeof item === "string")
  const candidate =
    strings.length > 0
      ? `${strings[0]}-not-allowed`
      : numbers.length > 0
        ? Math.max(...numbers) + 1
        : "not-allowed"
  const keyword = Array.isArray(schema.enum) ? "enum" : "const"
  return [
    {
      rule: "negative.enum",
      value: candidate,
      description: `${JSON.stringify(candidate)} is not in ${keyword}`
    }
  ]
}

// Formats whose violation the validator detects; OpenAPI's numeric and binary formats accept anything.
const checkedFormats = new Set([
  "date",
  "date-time",
  "time",
  "email",
  "uuid",
  "uri",
  "hostname",
  "ipv4",
  "ipv6",
  "byte"
])

const badFormat = (schema: SchemaObject, value: unknown): ReadonlyArray<Violation> => {
  if (typeof value !== "string" || typeof schema.format !== "string" || !checkedFormats.has(schema.format))
    return []
  return [
    { rule: "negative.format", value: "not a valid value!", description: `not a valid ${schema.format}` }
  ]
}

/** Lists one invalid value per broken constraint; `text` marks a node sent as text (parameters, forms). */
export const violationsOf = (
  schema: SchemaObject,
  value: unknown,
  text: boolean
): ReadonlyArray<Violation> => [
  ...wrongType(schema, text),
  ...outOfRange(schema, value),
  ...lengths(schema, value),
  ...patternMismatch(schema, value),
  ...notInEnum(schema),
  ...badFormat(schema, value)
]
