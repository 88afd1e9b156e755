/**
 * Schemas as the checks need them. The model's schemas refer to components with
 * `{"$ref": "#/$defs/<key>"}` and leave the targets in `spec.definitions`, so the validator gets a
 * standalone copy, and a discriminator's branch is found by following those references.
 */
import { standaloneSchema } from "../spec/definitions.js"
import type { ApiSpec, JsonSchema } from "../spec/model.js"

type SchemaObject = { readonly [keyword: string]: unknown }

const defsPrefix = "#/$defs/"

const isObject = (value: unknown): value is SchemaObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const decodePointerToken = (token: string): string => {
  let decoded = token
  try {
    decoded = decodeURIComponent(token)
  } catch {
    // A `%` that starts no escape is taken literally.
  }
  return decoded.replaceAll("~1", "/").replaceAll("~0", "~")
}

// The normalizer writes keys of letters, digits, `.`, `_` and `-`, which need no escaping. The
// decoded lookup serves a `SchemaDefinitions` whose references escape keys as JSON pointer tokens.
const lookupDefinition = (spec: ApiSpec, ref: string): JsonSchema | undefined => {
  if (!ref.startsWith(defsPrefix)) return undefined
  const key = ref.slice(defsPrefix.length)
  return spec.definitions.get(key) ?? spec.definitions.get(decodePointerToken(key))
}

// The validator compiles once per schema object, so one spec schema must always yield the same
// standalone object. Keys are weak: a spec that is dropped takes its standalone schemas with it.
const standaloneCache = new WeakMap<ApiSpec, WeakMap<object, JsonSchema>>()

/**
 * Returns the standalone form of a schema of `spec`, memoized per (spec, schema object) so the
 * validator's per-object cache compiles it once. Every check goes through this one function. The
 * spec module's `standaloneSchema` memoizes only for its own `DefinitionStore`, so the memo here also
 * covers other `SchemaDefinitions` implementations.
 */
export const toStandalone = (spec: ApiSpec, schema: JsonSchema): JsonSchema => {
  if (!isObject(schema)) return schema
  let perSpec = standaloneCache.get(spec)
  if (perSpec === undefined) {
    perSpec = new WeakMap()
    standaloneCache.set(spec, perSpec)
  }
  const cached = perSpec.get(schema)
  if (cached !== undefined) return cached
  const standalone = standaloneSchema(spec, schema)
  perSpec.set(schema, standalone)
  return standalone
}

// Chains of references longer than this are treated as unresolvable; real specs use one or two.
const maxRefHops = 32

/** Follows a chain of `$ref`-only schemas to the schema they name; stops at a cycle or a missing target. */
export const resolveSchema = (spec: ApiSpec, schema: JsonSchema): JsonSchema => {
  let current = schema
  for (let hop = 0; hop < maxRefHops; hop++) {
    if (!isObject(current) || typeof current.$ref !== "string") return current
    const target = lookupDefinition(spec, current.$ref)
    if (target === undefined) return current
    current = target
  }
  return current
}

/** Returns the `type` keywords of a schema, after resolving references, as a list. */
export const schemaTypes = (spec: ApiSpec, schema: JsonSchema): ReadonlyArray<string> => {
  const resolved = resolveSchema(spec, schema)
  if (!isObject(resolved)) return []
  const type = resolved.type
  if (typeof type === "string") return [type]
  if (Array.isArray(type)) return type.filter((item): item is string => typeof item === "string")
  return []
}

/** Result of choosing a `oneOf`/`anyOf` branch by discriminator: none applies, a branch, or a missing or unknown value. */
export type DiscriminatorChoice =
  | { readonly kind: "none" }
  | {
      readonly kind: "branch"
      readonly schema: JsonSchema
      readonly propertyName: string
      readonly value: string
    }
  | { readonly kind: "missing"; readonly propertyName: string; readonly values: ReadonlyArray<string> }
  | {
      readonly kind: "unknown"
      readonly propertyName: string
      readonly value: unknown
      readonly values: ReadonlyArray<string>
    }

const lastSegment = (reference: string): string => {
  const parts = reference.split("/")
  return decodePointerToken(parts[parts.length - 1] ?? reference)
}

/**
 * Returns the component name of a branch `{"$ref": "#/$defs/<key>"}`. The normalizer derives keys
 * from component names, with `_` for other characters, a `.request` or `.response` view suffix and a
 * `-2`, `-3` … suffix against collisions, so those are taken off again.
 */
export const branchName = (branch: unknown): string | undefined => {
  if (!isObject(branch) || typeof branch.$ref !== "string") return undefined
  return lastSegment(branch.$ref)
    .replace(/-\d+$/, "")
    .replace(/\.(request|response|any)$/, "")
}

// A mapping target names a component as written; keys replace other characters with `_`.
const componentName = (reference: string): string => lastSegment(reference).replace(/[^A-Za-z0-9._-]/g, "_")

/**
 * Picks the branch of a `oneOf`/`anyOf` with a `discriminator` that the body's property selects. A
 * mapping value (`#/components/schemas/Cat` or `Cat`) and, without a mapping, the value itself are
 * matched against each branch's component name (see `branchName`). Returns `none` when the schema has no
 * discriminator or the body is not an object, so the whole schema is validated as it is.
 */
export const chooseDiscriminatorBranch = (
  spec: ApiSpec,
  schema: JsonSchema,
  body: unknown
): DiscriminatorChoice => {
  const resolved = resolveSchema(spec, schema)
  if (!isObject(resolved) || !isObject(resolved.discriminator)) return { kind: "none" }
  const propertyName = resolved.discriminator.propertyName
  const branchList = Array.isArray(resolved.oneOf) ? resolved.oneOf : resolved.anyOf
  if (typeof propertyName !== "string" || !Array.isArray(branchList) || !isObject(body))
    return { kind: "none" }

  const branches = branchList.flatMap((branch) => {
    const name = branchName(branch)
    const key = isObject(branch) && typeof branch.$ref === "string" ? lastSegment(branch.$ref) : undefined
    return name === undefined ? [] : [{ name, key, schema: branch as JsonSchema }]
  })
  const mapping = isObject(resolved.discriminator.mapping) ? resolved.discriminator.mapping : {}
  // The values a reader may send: every mapping key, and every branch name as a value of its own.
  const names = [...new Set([...Object.keys(mapping), ...branches.map((branch) => branch.name)])]
  if (!(propertyName in body)) return { kind: "missing", propertyName, values: names }
  const value = body[propertyName]
  if (typeof value !== "string") return { kind: "unknown", propertyName, value, values: names }

  const mapped = mapping[value]
  const selected = componentName(typeof mapped === "string" ? mapped : value)
  const branch = branches.find((candidate) => candidate.name === selected || candidate.key === selected)
  if (branch === undefined) return { kind: "unknown", propertyName, value, values: names }
  return { kind: "branch", schema: branch.schema, propertyName, value }
}
