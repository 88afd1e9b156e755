/**
 * The deterministic built-in model of the local server: it writes a value that satisfies a JSON schema.
 * The same schema and seed text always give the same value, because every choice comes from a
 * generator seeded with a hash of the seed text.
 */
import RandExp from "randexp"
import { hintedPropertyValue, type OperationHint } from "./operation-hints.js"

type Schema = boolean | { readonly [keyword: string]: unknown }
type SchemaObject = { readonly [keyword: string]: unknown }

/** Options of `answerFromSchema`. */
export interface AnswerOptions {
  /** Operation described by the prompt; fills fields such as `method`, `path` and `status`. */
  readonly operation?: OperationHint | undefined
}

/** Depth after which optional properties are left out and arrays keep only `minItems` items. */
const maxDepth = 6

interface Generation {
  readonly root: Schema
  readonly random: () => number
  readonly operation: OperationHint | undefined
  /** Counts generated objects, so hinted names differ between them. */
  objectCount: number
}

/** Returns a 32-bit FNV-1a hash of `text`. */
export const hashText = (text: string): number => {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** Returns a seeded generator of numbers in [0, 1), using the mulberry32 algorithm. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Writes a value that satisfies `schema`; the same schema, seed text and options give the same value. */
export const answerFromSchema = (schema: Schema, seedText: string, options: AnswerOptions = {}): unknown => {
  const generation: Generation = {
    root: schema,
    random: seededRandom(hashText(seedText)),
    operation: options.operation,
    objectCount: 0
  }
  return generate(generation, schema, 0, undefined)
}

const isObject = (value: unknown): value is SchemaObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const pick = <A>(generation: Generation, items: ReadonlyArray<A>): A | undefined =>
  items[Math.floor(generation.random() * items.length)]

/** Resolves a local reference such as `#/$defs/Pet` or `#/definitions/Pet` against the root schema. */
const resolveReference = (root: Schema, reference: string): Schema | undefined => {
  if (!reference.startsWith("#")) return undefined
  let target: unknown = root
  for (const rawToken of reference.slice(1).split("/").slice(1)) {
    const token = decodeURIComponent(rawToken).replaceAll("~1", "/").replaceAll("~0", "~")
    if (!isObject(target)) return undefined
    target = target[token]
  }
  return typeof target === "boolean" || isObject(target) ? target : undefined
}

const generate = (
  generation: Generation,
  schema: Schema,
  depth: number,
  propertyName: string | undefined
): unknown => {
  if (schema === true) return propertyName === undefined ? "value" : `${propertyName}-value`
  if (schema === false || !isObject(schema)) return null

  if (typeof schema.$ref === "string") {
    const target = resolveReference(generation.root, schema.$ref)
    const { $ref: _reference, ...siblings } = schema
    const merged = isObject(target) ? { ...target, ...siblings } : siblings
    return generate(generation, merged, depth + 1, propertyName)
  }
  if ("const" in schema) return schema.const
  if (Array.isArray(schema.enum) && schema.enum.length > 0)
    return pickEnum(generation, schema.enum, propertyName)
  if (Array.isArray(schema.allOf))
    return generate(generation, mergeAllOf(generation, schema), depth, propertyName)

  const options = Array.isArray(schema.anyOf)
    ? schema.anyOf
    : Array.isArray(schema.oneOf)
      ? schema.oneOf
      : undefined
  if (options !== undefined && options.length > 0) {
    const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema
    const option = chooseOption(generation, options as ReadonlyArray<Schema>, depth)
    const merged = isObject(option) ? { ...rest, ...option } : option
    return generate(generation, merged, depth, propertyName)
  }

  const hinted = hintFor(generation, schema, propertyName)
  if (hinted !== undefined) return hinted

  switch (chooseType(generation, schema, depth)) {
    case "object":
      return generateObject(generation, schema, depth)
    case "array":
      return generateArray(generation, schema, depth, propertyName)
    case "integer":
      return generateNumber(generation, schema, true)
    case "number":
      return generateNumber(generation, schema, false)
    case "boolean":
      return generation.random() < 0.5
    case "null":
      return null
    default:
      return generateString(generation, schema, propertyName)
  }
}

const pickEnum = (
  generation: Generation,
  values: ReadonlyArray<unknown>,
  propertyName: string | undefined
) => {
  const hinted =
    generation.operation !== undefined && propertyName !== undefined
      ? hintedPropertyValue(generation.operation, propertyName, generation.objectCount)
      : undefined
  return hinted !== undefined && values.includes(hinted) ? hinted : pick(generation, values)
}

/** Returns the operation's value for the property when it fits the schema's type, else `undefined`. */
const hintFor = (generation: Generation, schema: SchemaObject, propertyName: string | undefined) => {
  if (generation.operation === undefined || propertyName === undefined) return undefined
  const value = hintedPropertyValue(generation.operation, propertyName, generation.objectCount)
  if (value === undefined) return undefined
  const types = typesOf(schema)
  if (typeof value === "number")
    return types.includes("integer") || types.includes("number") ? value : undefined
  return types.length === 0 || types.includes("string") ? value : undefined
}

const typesOf = (schema: SchemaObject): ReadonlyArray<string> =>
  typeof schema.type === "string"
    ? [schema.type]
    : Array.isArray(schema.type)
      ? schema.type.filter((type): type is string => typeof type === "string")
      : []

const chooseType = (generation: Generation, schema: SchemaObject, depth: number): string => {
  const types = typesOf(schema)
  if (types.length > 0) {
    const concrete = types.filter((type) => type !== "null")
    if (concrete.length === 0 || (depth >= maxDepth && types.includes("null"))) return "null"
    return pick(generation, concrete) ?? "null"
  }
  if (isObject(schema.properties) || Array.isArray(schema.required) || "additionalProperties" in schema) {
    return "object"
  }
  if ("items" in schema || "prefixItems" in schema || "minItems" in schema) return "array"
  if ("minimum" in schema || "maximum" in schema || "multipleOf" in schema) return "number"
  return "string"
}

/** Prefers, past the depth limit, an option that cannot recurse (no `$ref`), so generation ends. */
const chooseOption = (generation: Generation, options: ReadonlyArray<Schema>, depth: number): Schema => {
  if (depth >= maxDepth) {
    const leaf = options.find((option) => isObject(option) && option.$ref === undefined)
    if (leaf !== undefined) return leaf
  }
  return pick(generation, options) ?? true
}

const mergeAllOf = (generation: Generation, schema: SchemaObject): SchemaObject => {
  const { allOf, ...rest } = schema
  let properties: Record<string, unknown> = isObject(rest.properties) ? { ...rest.properties } : {}
  let required: Array<unknown> = Array.isArray(rest.required) ? [...rest.required] : []
  let merged: Record<string, unknown> = { ...rest }
  for (const member of allOf as ReadonlyArray<unknown>) {
    let part = member
    if (isObject(part) && typeof part.$ref === "string") {
      part = resolveReference(generation.root, part.$ref) ?? {}
    }
    if (!isObject(part)) continue
    if (isObject(part.properties)) properties = { ...properties, ...part.properties }
    if (Array.isArray(part.required)) required = [...required, ...part.required]
    merged = { ...part, ...merged }
  }
  merged.properties = properties
  merged.required = [...new Set(required)]
  return merged
}

const generateObject = (generation: Generation, schema: SchemaObject, depth: number) => {
  generation.objectCount += 1
  const properties = isObject(schema.properties) ? schema.properties : {}
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((key) => typeof key === "string") : []
  )
  const result: Record<string, unknown> = {}
  for (const [key, propertySchema] of Object.entries(properties)) {
    if (!required.has(key) && depth >= maxDepth - 2) continue
    result[key] = generate(generation, propertySchema as Schema, depth + 1, key)
  }
  for (const key of required) {
    if (!(key in result)) result[key] = generate(generation, true, depth + 1, key)
  }
  const minProperties = typeof schema.minProperties === "number" ? schema.minProperties : 0
  const extraSchema = isObject(schema.additionalProperties) ? schema.additionalProperties : true
  for (
    let index = 1;
    Object.keys(result).length < minProperties && schema.additionalProperties !== false;
    index++
  ) {
    result[`property${index}`] = generate(generation, extraSchema, depth + 1, `property${index}`)
  }
  return result
}

const generateArray = (
  generation: Generation,
  schema: SchemaObject,
  depth: number,
  propertyName: string | undefined
) => {
  const prefixItems = Array.isArray(schema.prefixItems) ? (schema.prefixItems as ReadonlyArray<Schema>) : []
  const itemSchema: Schema = schema.items === undefined ? true : (schema.items as Schema)
  const minItems = typeof schema.minItems === "number" ? schema.minItems : 0
  const maxItems = typeof schema.maxItems === "number" ? schema.maxItems : Math.max(minItems, 2)
  const wanted =
    depth >= maxDepth
      ? minItems
      : Math.max(minItems, Math.min(maxItems, 1 + Math.floor(generation.random() * 2)))
  const atLeastPrefix = Math.max(wanted, Math.min(prefixItems.length, maxItems))
  const count = schema.items === false ? Math.min(atLeastPrefix, prefixItems.length) : atLeastPrefix
  const items: Array<unknown> = []
  const seen = new Set<string>()
  // uniqueItems: retry a bounded number of times, because an enum may have fewer values than minItems.
  for (let attempt = 0; items.length < count && attempt < count * 10 + 10; attempt++) {
    const index = items.length
    const schemaAtIndex = prefixItems[index] ?? itemSchema
    const item = generate(generation, schemaAtIndex, depth + 1, propertyName)
    const key = JSON.stringify(item)
    if (schema.uniqueItems === true && seen.has(key)) continue
    seen.add(key)
    items.push(item)
  }
  return items
}

const generateNumber = (generation: Generation, schema: SchemaObject, integer: boolean): number => {
  const number = (keyword: string) =>
    typeof schema[keyword] === "number" ? (schema[keyword] as number) : undefined
  const step = integer ? 1 : 0.01
  const exclusiveMinimum = number("exclusiveMinimum")
  const exclusiveMaximum = number("exclusiveMaximum")
  let low = number("minimum") ?? (exclusiveMinimum === undefined ? undefined : exclusiveMinimum + step)
  let high = number("maximum") ?? (exclusiveMaximum === undefined ? undefined : exclusiveMaximum - step)
  if (low === undefined) low = high === undefined ? 1 : Math.min(1, high)
  if (high === undefined) high = Math.max(low, 100)
  if (integer) {
    low = Math.ceil(low)
    high = Math.floor(high)
  }
  let value = low + generation.random() * Math.max(0, high - low)
  value = integer ? Math.round(value) : Math.round(value * 100) / 100
  const multipleOf = number("multipleOf")
  if (multipleOf !== undefined && multipleOf > 0) {
    value = Math.ceil(low / multipleOf) * multipleOf
    // Floating-point multiples such as 0.1 * 3 need rounding to pass a validator's multipleOf check.
    value = Number(value.toPrecision(12))
  }
  return Math.min(Math.max(value, low), high)
}

const formatted = (generation: Generation, format: string, ordinal: number): string | undefined => {
  const hex = (length: number) =>
    Array.from({ length }, () => Math.floor(generation.random() * 16).toString(16)).join("")
  const day = 1 + Math.floor(generation.random() * 28)
  const date = `2025-0${1 + Math.floor(generation.random() * 9)}-${String(day).padStart(2, "0")}`
  switch (format) {
    case "date-time":
      return `${date}T10:${String(ordinal % 60).padStart(2, "0")}:00Z`
    case "date":
      return date
    case "time":
      return `10:${String(ordinal % 60).padStart(2, "0")}:00Z`
    case "email":
      return `user${ordinal}@example.com`
    case "uri":
    case "url":
    case "iri":
      return `https://example.com/items/${ordinal}`
    case "uri-reference":
      return `/items/${ordinal}`
    case "hostname":
      return `host${ordinal}.example.com`
    case "ipv4":
      return `192.0.2.${ordinal % 255}`
    case "ipv6":
      return `2001:db8::${ordinal.toString(16)}`
    case "uuid":
      return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
    case "byte":
      return Buffer.from(`value-${ordinal}`).toString("base64")
    default:
      return undefined
  }
}

const generateString = (
  generation: Generation,
  schema: SchemaObject,
  propertyName: string | undefined
): string => {
  const ordinal = 1 + Math.floor(generation.random() * 1000)
  if (typeof schema.pattern === "string") {
    const fromPattern = stringFromPattern(generation, schema.pattern)
    if (fromPattern !== undefined) return fromPattern
  }
  if (typeof schema.format === "string") {
    const value = formatted(generation, schema.format, ordinal)
    if (value !== undefined) return value
  }
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY
  let text = `${propertyName ?? "text"}-${ordinal}`
  if (text.length < minLength) text = text.padEnd(minLength, "x")
  if (text.length > maxLength) text = text.slice(0, maxLength)
  return text
}

const stringFromPattern = (generation: Generation, pattern: string): string | undefined => {
  try {
    const expression = new RandExp(pattern)
    expression.max = 8
    expression.randInt = (from, to) => from + Math.floor(generation.random() * (to - from + 1))
    return expression.gen()
  } catch {
    return undefined
  }
}
