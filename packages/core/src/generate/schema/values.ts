/**
 * Positive values: values that satisfy a schema. Generation reads a flattened view of the schema and
 * may miss a constraint. So `generateValid` checks every value with the project's validator and tries
 * again, up to a fixed number of attempts.
 */
import { formatIssues, validate } from "../../schema/Validator.js"
import type { ApiSpec, JsonSchema, SchemaDefinitions } from "../../spec/model.js"
import { declaredTypes, effectiveSchema } from "./merge.js"
import type { Random } from "./random.js"
import { isObject, type SchemaObject, targetKey, toStandalone } from "./resolve.js"
import { fail, type Generated, generateNumber, generateString, ok } from "./scalars.js"

export type { Generated } from "./scalars.js"

/** Settings for generating a value. */
export interface ValueOptions {
  /** Use a schema's own `examples` or `default` before a random value. */
  readonly preferExamples: boolean
  /** Optional object properties to include: a random half, none, or all. */
  readonly optional: "random" | "none" | "all"
}

/** Depth (object and array nesting) from which optional properties are left out and arrays are minimal. */
export const softDepth = 4
/** Depth beyond which generation gives up: a required property must then be endlessly recursive. */
export const hardDepth = 12
/** Attempts `generateValid` makes before a last one that falls back on the schemas' examples. */
export const maxAttempts = 12

interface Context {
  readonly definitions: SchemaDefinitions
  readonly random: Random
  readonly options: ValueOptions
}

const inferTypes = (schema: SchemaObject): ReadonlyArray<string> => {
  const has = (...keywords: Array<string>) => keywords.some((keyword) => schema[keyword] !== undefined)
  if (has("properties", "required", "additionalProperties", "minProperties", "patternProperties"))
    return ["object"]
  if (has("items", "prefixItems", "minItems", "maxItems", "contains", "uniqueItems")) return ["array"]
  if (has("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")) return ["number"]
  return ["string"]
}

const schemaExample = (schema: SchemaObject): { readonly value: unknown } | undefined => {
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return { value: schema.examples[0] }
  if (schema.default !== undefined) return { value: schema.default }
  return undefined
}

/** Generates a value for `schema` at nesting `depth`; the caller validates it. */
const generateAt = (context: Context, schema: JsonSchema, depth: number): Generated => {
  if (depth > hardDepth)
    return fail(`values nest deeper than ${hardDepth} levels: a required property recurses`)
  const flat = effectiveSchema(context.definitions, schema)
  if (flat === false) return fail("the schema allows no value (false, or a dangling or cyclic $ref)")
  if (flat.const !== undefined) return ok(flat.const)
  if (Array.isArray(flat.enum)) {
    return flat.enum.length === 0 ? fail("enum has no values") : ok(context.random.pick(flat.enum))
  }
  if (context.options.preferExamples) {
    const example = schemaExample(flat)
    if (example !== undefined) return ok(example.value)
  }
  const branches = Array.isArray(flat.oneOf) ? flat.oneOf : Array.isArray(flat.anyOf) ? flat.anyOf : undefined
  if (branches !== undefined)
    return generateBranch(context, flat, branches as ReadonlyArray<JsonSchema>, depth)
  const types = declaredTypes(flat) ?? inferTypes(flat)
  if (types.length === 0) return fail("no type satisfies every allOf branch")
  const nonNull = types.filter((type) => type !== "null")
  const type = nonNull.length > 0 ? context.random.pick(nonNull) : "null"
  return generateTyped(context, flat, type, depth)
}

const generateTyped = (context: Context, flat: SchemaObject, type: string, depth: number): Generated => {
  switch (type) {
    case "string":
      return generateString(context.random, flat)
    case "integer":
      return generateNumber(context.random, flat, true)
    case "number":
      return generateNumber(context.random, flat, false)
    case "boolean":
      return ok(context.random.chance(0.5))
    case "null":
      return ok(null)
    case "array":
      return generateArray(context, flat, depth)
    case "object":
      return generateObject(context, flat, depth)
    default:
      return fail(`unknown type ${type}`)
  }
}

/** Value a discriminator gives a branch: its mapping key, else the branch's definition key. */
export const discriminatorValue = (discriminator: unknown, branch: JsonSchema): string | undefined => {
  const key = targetKey(branch)
  if (!isObject(discriminator) || key === undefined) return undefined
  const mapping = isObject(discriminator.mapping) ? discriminator.mapping : {}
  for (const [name, target] of Object.entries(mapping)) {
    if (typeof target === "string" && (target === key || target.endsWith(`/${key}`))) return name
  }
  return key
}

const generateBranch = (
  context: Context,
  flat: SchemaObject,
  branches: ReadonlyArray<JsonSchema>,
  depth: number
): Generated => {
  if (branches.length === 0) return fail("oneOf/anyOf has no branches")
  const { oneOf: _oneOf, anyOf: _anyOf, discriminator, ...siblings } = flat
  const start = context.random.int(0, branches.length - 1)
  let last: Generated = fail("no oneOf/anyOf branch could be generated")
  for (let offset = 0; offset < branches.length; offset++) {
    const branch = branches[(start + offset) % branches.length] as JsonSchema
    const generated = generateAt(context, { allOf: [siblings, branch] }, depth)
    if (!generated.ok) {
      last = generated
      continue
    }
    const tag = discriminatorValue(discriminator, branch)
    const property = isObject(discriminator) ? discriminator.propertyName : undefined
    if (tag !== undefined && typeof property === "string" && isObject(generated.value)) {
      return ok({ ...generated.value, [property]: tag })
    }
    return generated
  }
  return last
}

const numberOr = (value: unknown, fallback: number): number => (typeof value === "number" ? value : fallback)

const generateArray = (context: Context, flat: SchemaObject, depth: number): Generated => {
  const minItems = numberOr(flat.minItems, 0)
  const maxItems = numberOr(flat.maxItems, Number.POSITIVE_INFINITY)
  if (minItems > maxItems) return fail(`minItems ${minItems} is greater than maxItems ${maxItems}`)
  const prefix = Array.isArray(flat.prefixItems) ? (flat.prefixItems as ReadonlyArray<JsonSchema>) : []
  const items = (flat.items ?? true) as JsonSchema
  const wanted = depth >= softDepth ? minItems : Math.max(minItems, context.random.int(1, 2))
  const count = Math.min(maxItems, items === false ? Math.min(wanted, prefix.length) : wanted)
  const out: Array<unknown> = []
  const seen = new Set<string>()
  if (flat.contains !== undefined && count > 0) {
    const contained = generateAt(context, flat.contains as JsonSchema, depth + 1)
    if (!contained.ok) return fail(`contains: ${contained.reason}`)
    out.push(contained.value)
    seen.add(JSON.stringify(contained.value))
  }
  for (let tries = 0; out.length < count && tries < count * 4 + 4; tries++) {
    const generated = generateAt(context, prefix[out.length] ?? items, depth + 1)
    if (!generated.ok) return fail(`items: ${generated.reason}`)
    const key = JSON.stringify(generated.value)
    if (flat.uniqueItems === true && seen.has(key)) continue
    seen.add(key)
    out.push(generated.value)
  }
  return out.length < count ? fail(`could not make ${count} distinct items`) : ok(out)
}

const includeOptional = (context: Context, depth: number): boolean => {
  if (depth >= softDepth || context.options.optional === "none") return false
  return context.options.optional === "all" || context.random.chance(0.5)
}

const generateObject = (context: Context, flat: SchemaObject, depth: number): Generated => {
  const properties = isObject(flat.properties) ? flat.properties : {}
  const required = Array.isArray(flat.required)
    ? flat.required.filter((name) => typeof name === "string")
    : []
  const extra = (flat.additionalProperties ?? true) as JsonSchema
  const maxProperties = numberOr(flat.maxProperties, Number.POSITIVE_INFINITY)
  const minProperties = numberOr(flat.minProperties, 0)
  const out: Record<string, unknown> = {}
  for (const name of required) {
    const generated = generateAt(context, (properties[name] ?? extra) as JsonSchema, depth + 1)
    if (!generated.ok) return fail(`property ${name}: ${generated.reason}`)
    out[name] = generated.value
  }
  const optional = Object.keys(properties).filter((name) => !required.includes(name))
  for (const name of optional) {
    const count = Object.keys(out).length
    const needed = count < minProperties
    if (count >= maxProperties || !(needed || includeOptional(context, depth))) continue
    const generated = generateAt(context, properties[name] as JsonSchema, depth + 1)
    if (generated.ok) out[name] = generated.value
  }
  for (
    let index = 1;
    Object.keys(out).length < minProperties && extra !== false && index <= minProperties;
    index++
  ) {
    const generated = generateAt(context, extra, depth + 1)
    if (!generated.ok) return fail(`additionalProperties: ${generated.reason}`)
    out[`extra${index}`] = generated.value
  }
  return ok(out)
}

/** Generates a value for `schema` without checking it; see `generateValid` for checked values. */
export const generateValue = (
  definitions: SchemaDefinitions,
  schema: JsonSchema,
  random: Random,
  options: ValueOptions
): Generated => generateAt({ definitions, random, options }, schema, 0)

/**
 * Generates a value that the validator accepts for `schema`, trying `maxAttempts` times and then once
 * more with schema examples. Middle attempts ignore schema examples, since an example may be invalid.
 */
export const generateValid = (
  spec: ApiSpec,
  schema: JsonSchema,
  random: Random,
  options: ValueOptions
): Generated => {
  const standalone = toStandalone(spec, schema)
  let reason = "no attempt was made"
  for (let attempt = 0; attempt <= maxAttempts; attempt++) {
    // The first attempt follows `options`, the middle ones draw random values, and the last one falls
    // back on the schemas' own examples (a pattern with a lookahead, say, that randexp cannot follow).
    const current = {
      ...options,
      preferExamples: attempt === maxAttempts || (attempt === 0 && options.preferExamples)
    }
    const generated = generateValue(spec.definitions, schema, random, current)
    if (!generated.ok) {
      reason = generated.reason
      continue
    }
    const issues = validate(standalone, generated.value)
    if (issues.length === 0) return generated
    reason = `generated values fail validation (${formatIssues(issues)})`
  }
  return fail(reason)
}

/** The first of `examples` that the validator accepts for `schema`, if any. */
export const firstValidExample = (
  spec: ApiSpec,
  schema: JsonSchema,
  examples: ReadonlyArray<unknown>
): { readonly value: unknown } | undefined => {
  const standalone = toStandalone(spec, schema)
  const index = examples.findIndex((example) => validate(standalone, example).length === 0)
  return index < 0 ? undefined : { value: examples[index] }
}

/** Whether the validator accepts `value` for `schema`. */
export const isValid = (spec: ApiSpec, schema: JsonSchema, value: unknown): boolean =>
  validate(toStandalone(spec, schema), value).length === 0
