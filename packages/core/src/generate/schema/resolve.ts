/**
 * Reference resolution for generation: following `#/$defs/<key>` references into the spec's
 * definitions, flattening `allOf`, and building standalone schemas for the validator.
 */
import type { ApiSpec, JsonSchema, SchemaDefinitions } from "../../spec/model.js"

/** A schema object; boolean schemas are handled by callers before they reach here. */
export type SchemaObject = { readonly [keyword: string]: unknown }

const defsPrefix = "#/$defs/"

/** Maximum length of a `$ref` chain (`A` → `B` → …) before the chain counts as a cycle. */
const maxRefHops = 32

/** Whether a value is a plain JSON object (not an array, not null). */
export const isObject = (value: unknown): value is SchemaObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Key of a `#/$defs/<key>` reference as written (still pointer-escaped); `undefined` otherwise. */
export const refKey = (ref: unknown): string | undefined =>
  typeof ref === "string" && ref.startsWith(defsPrefix) ? ref.slice(defsPrefix.length) : undefined

const decodeKey = (key: string): string => {
  try {
    return decodeURIComponent(key).replace(/~1/g, "/").replace(/~0/g, "~")
  } catch {
    return key
  }
}

/** Looks a definition up by its key as written, then by its pointer-decoded form. */
export const lookupDefinition = (definitions: SchemaDefinitions, key: string): JsonSchema | undefined =>
  definitions.get(key) ?? definitions.get(decodeKey(key))

/**
 * Follows `$ref` chains to a schema without a `$ref`. Keywords beside a `$ref` are kept and win over
 * the target's. Returns `false` for a dangling or cyclic chain, since no value can satisfy it.
 */
export const resolveRef = (definitions: SchemaDefinitions, schema: JsonSchema): JsonSchema => {
  // Most schemas are no reference, and this runs for every value generated: no set for them.
  if (typeof schema === "boolean" || schema.$ref === undefined) return schema
  let current: JsonSchema = schema
  let siblings: SchemaObject = {}
  const seen = new Set<string>()
  for (let hop = 0; hop < maxRefHops; hop++) {
    if (typeof current === "boolean" || current.$ref === undefined) {
      if (Object.keys(siblings).length === 0) return current
      if (typeof current === "boolean") return current ? siblings : false
      return { ...current, ...siblings }
    }
    const { $ref, ...rest } = current
    siblings = { ...rest, ...siblings }
    const key = refKey($ref)
    if (key === undefined || seen.has(key)) return false
    seen.add(key)
    const target = lookupDefinition(definitions, key)
    if (target === undefined) return false
    current = target
  }
  return false
}

/** The definition key a schema refers to directly, if it is a reference. */
export const targetKey = (schema: JsonSchema): string | undefined =>
  typeof schema === "object" ? refKey(schema.$ref) : undefined

const collectRefs = (node: unknown, into: Set<string>): void => {
  const stack: Array<unknown> = [node]
  while (stack.length > 0) {
    const current = stack.pop()
    if (Array.isArray(current)) {
      for (const item of current) stack.push(item)
    } else if (isObject(current)) {
      for (const [keyword, value] of Object.entries(current)) {
        if (keyword === "$ref" && typeof value === "string" && value.startsWith(defsPrefix)) into.add(value)
        else if (typeof value === "object" && value !== null) stack.push(value)
      }
    }
  }
}

interface StandaloneCache {
  /** By schema content, so equal schemas in different objects share one compiled validator. */
  readonly byContent: Map<string, JsonSchema>
  /** By schema object, so a schema already seen costs no serialization. */
  readonly byObject: WeakMap<object, JsonSchema>
}

const standaloneCache = new WeakMap<SchemaDefinitions, StandaloneCache>()

const buildStandalone = (definitions: SchemaDefinitions, schema: SchemaObject): JsonSchema => {
  const pending = new Set<string>()
  collectRefs(schema, pending)
  if (pending.size === 0) return schema
  const defs: Record<string, JsonSchema> = {}
  const done = new Set<string>()
  while (pending.size > 0) {
    const ref = pending.values().next().value as string
    pending.delete(ref)
    if (done.has(ref)) continue
    done.add(ref)
    const key = ref.slice(defsPrefix.length)
    const target = lookupDefinition(definitions, key)
    // A dangling reference becomes `false`, so the validator rejects every value that reaches it.
    defs[decodeKey(key)] = target ?? false
    const next = new Set<string>()
    collectRefs(target, next)
    for (const item of next) if (!done.has(item)) pending.add(item)
  }
  const existing = isObject(schema.$defs) ? schema.$defs : {}
  return { ...schema, $defs: { ...existing, ...defs } }
}

/**
 * Returns `schema` with every definition it reaches inlined under `$defs`, ready for `validate`.
 * Memoized per spec and schema content, so the validator compiles each distinct schema once.
 */
export const toStandalone = (spec: ApiSpec, schema: JsonSchema): JsonSchema => {
  if (typeof schema === "boolean") return schema
  let cache = standaloneCache.get(spec.definitions)
  if (cache === undefined) {
    cache = { byContent: new Map(), byObject: new WeakMap() }
    standaloneCache.set(spec.definitions, cache)
  }
  const seen = cache.byObject.get(schema)
  if (seen !== undefined) return seen
  const key = JSON.stringify(schema)
  const built = cache.byContent.get(key) ?? buildStandalone(spec.definitions, schema)
  cache.byContent.set(key, built)
  cache.byObject.set(schema, built)
  return built
}
