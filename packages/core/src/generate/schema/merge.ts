/**
 * Flattening of `allOf` into one schema object, so the value generator reads one set of constraints.
 * The merge is an approximation of the intersection: every generated value is still checked by the
 * validator against the original schema, which is the judge.
 */
import type { JsonSchema, SchemaDefinitions } from "../../spec/model.js"
import { isObject, resolveRef, type SchemaObject } from "./resolve.js"

/** Maximum nesting of `allOf` inside `allOf` that is flattened. */
const maxMergeDepth = 16

const lowerBounds = new Set(["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"])
const upperBounds = new Set(["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"])

const typeList = (schema: SchemaObject): ReadonlyArray<string> | undefined => {
  if (typeof schema.type === "string") return [schema.type]
  if (Array.isArray(schema.type))
    return schema.type.filter((item): item is string => typeof item === "string")
  return undefined
}

/** Intersects two `type` lists; `integer` is the common part of `integer` and `number`. */
const intersectTypes = (left: ReadonlyArray<string>, right: ReadonlyArray<string>): Array<string> => {
  const out = new Set<string>()
  for (const type of left) {
    if (right.includes(type)) out.add(type)
    else if (type === "integer" && right.includes("number")) out.add("integer")
    else if (type === "number" && right.includes("integer")) out.add("integer")
  }
  return [...out]
}

const sameJson = (left: unknown, right: unknown): boolean => JSON.stringify(left) === JSON.stringify(right)

const mergeKeyword = (out: Record<string, unknown>, keyword: string, value: unknown): void => {
  const existing = out[keyword]
  if (existing === undefined) {
    out[keyword] = value
  } else if (keyword === "type") {
    const left = typeList(out) ?? []
    const right = typeList({ type: value }) ?? []
    out.type = intersectTypes(left, right)
  } else if (keyword === "required" && Array.isArray(existing) && Array.isArray(value)) {
    out.required = [...new Set([...existing, ...value])]
  } else if (keyword === "properties" && isObject(existing) && isObject(value)) {
    const merged: Record<string, unknown> = { ...existing }
    for (const [name, schema] of Object.entries(value)) {
      merged[name] = merged[name] === undefined ? schema : { allOf: [merged[name], schema] }
    }
    out.properties = merged
  } else if (keyword === "enum" && Array.isArray(existing) && Array.isArray(value)) {
    out.enum = existing.filter((item) => value.some((other) => sameJson(item, other)))
  } else if (lowerBounds.has(keyword) && typeof existing === "number" && typeof value === "number") {
    out[keyword] = Math.max(existing, value)
  } else if (upperBounds.has(keyword) && typeof existing === "number" && typeof value === "number") {
    out[keyword] = Math.min(existing, value)
  } else if (keyword === "additionalProperties" && (existing === false || value === false)) {
    out.additionalProperties = false
  } else if (keyword === "items" || keyword === "oneOf" || keyword === "anyOf" || keyword === "not") {
    // Two branch lists or item schemas cannot be merged key by key, so both are kept under `allOf`.
    const rest = Array.isArray(out.allOf) ? out.allOf : []
    out.allOf = [...rest, { [keyword]: value }]
  }
  // Other keywords: the first schema's value wins; the validator judges the result.
}

/**
 * Resolves references and flattens `allOf` (recursively) into one schema object. Returns `false` when
 * a reference is dangling or cyclic, and a schema with `type: []` when the branches' types conflict.
 */
export const effectiveSchema = (
  definitions: SchemaDefinitions,
  schema: JsonSchema,
  depth = 0
): SchemaObject | false => {
  const resolved = resolveRef(definitions, schema)
  if (resolved === false) return false
  if (resolved === true) return {}
  if (!Array.isArray(resolved.allOf) || depth >= maxMergeDepth) return resolved
  const { allOf, ...own } = resolved
  const out: Record<string, unknown> = {}
  for (const [keyword, value] of Object.entries(own)) mergeKeyword(out, keyword, value)
  for (const branch of allOf as ReadonlyArray<JsonSchema>) {
    const flat = effectiveSchema(definitions, branch, depth + 1)
    if (flat === false) return false
    for (const [keyword, value] of Object.entries(flat)) {
      if (keyword === "allOf") continue
      mergeKeyword(out, keyword, value)
    }
    if (Array.isArray(flat.allOf)) out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), ...flat.allOf]
  }
  return out
}

/** The schema's declared types, or `undefined` when it declares none. */
export const declaredTypes = typeList
