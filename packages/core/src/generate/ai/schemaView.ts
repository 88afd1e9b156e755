/**
 * Schemas as a prompt shows them: `$ref`s inlined from the spec's definitions, cut at a fixed depth
 * so that a deep or recursive schema stays small, and stripped of keywords a model does not need.
 */
import type { JsonSchema, SchemaDefinitions } from "../../spec/model.js"

const defsPrefix = "#/$defs/"

/** Maximum length of a description in a prompt, in characters. Longer ones are cut and end with `…`. */
export const maxDescriptionLength = 300

/** Examples kept per schema or parameter in a prompt. */
export const maxExamples = 2

/** Keywords that carry no meaning for a model writing test values. */
const droppedKeywords = new Set([
  "$defs",
  "$schema",
  "$id",
  "$comment",
  "xml",
  "externalDocs",
  "discriminator"
])

const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const definitionKeyOf = (ref: unknown): string | undefined =>
  typeof ref === "string" && ref.startsWith(defsPrefix) ? ref.slice(defsPrefix.length) : undefined

/** The placeholder that replaces a schema cut at `depth`. */
export const cutMarker = (depth: number): { readonly description: string } => ({
  description: `(cut at depth ${depth})`
})

const markdownLink = /\[([^\]]*)\]\([^)\s]*\)/g

/**
 * Replaces Markdown links by their text, because a URL gives a model no hint about values, and cuts
 * the text to `maxDescriptionLength` characters.
 */
export const shortText = (text: string): string => {
  const plain = text.replace(markdownLink, "$1").trim()
  return plain.length <= maxDescriptionLength ? plain : `${plain.slice(0, maxDescriptionLength - 1)}…`
}

interface Walk {
  readonly definitions: SchemaDefinitions
  /** Inlined references allowed on one path before the schema is cut; `undefined` inlines all of them. */
  readonly maxDepth: number | undefined
  /** Whether to shorten descriptions and examples and drop extension keywords (the compact view). */
  readonly compact: boolean
}

const viewNode = (walk: Walk, node: unknown, depth: number, chain: ReadonlyArray<string>): unknown => {
  if (Array.isArray(node)) return node.map((item) => viewNode(walk, item, depth, chain))
  if (!isObject(node)) return node

  const key = definitionKeyOf(node.$ref)
  if (key !== undefined) {
    // The depth bounds a recursive schema in the compact view. The fully inlined view has no depth
    // bound, so it cuts a cycle where a definition reappears inside itself.
    if (walk.maxDepth !== undefined && depth >= walk.maxDepth) return cutMarker(walk.maxDepth)
    if (walk.maxDepth === undefined && chain.includes(key))
      return { description: `(recursive reference to ${key})` }
    const target = walk.definitions.get(key)
    const { $ref: _ref, ...siblings } = node
    const inlined = viewNode(walk, target ?? { description: `(missing definition ${key})` }, depth + 1, [
      ...chain,
      key
    ])
    if (Object.keys(siblings).length === 0) return inlined
    const rest = viewNode(walk, siblings, depth, chain)
    return isObject(inlined) && isObject(rest) ? { ...inlined, ...rest } : inlined
  }

  const result: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(node)) {
    if (droppedKeywords.has(name)) continue
    if (walk.compact && name.startsWith("x-")) continue
    if (walk.compact && (name === "description" || name === "title") && typeof value === "string") {
      result[name] = shortText(value)
    } else if (walk.compact && name === "examples" && Array.isArray(value)) {
      result[name] = value.slice(0, maxExamples)
    } else if (name === "properties" && isObject(value)) {
      // Property names are data, not keywords, so they are kept whatever they are called.
      const properties: Record<string, unknown> = {}
      for (const [property, schema] of Object.entries(value))
        properties[property] = viewNode(walk, schema, depth, chain)
      result[name] = properties
    } else {
      result[name] = viewNode(walk, value, depth, chain)
    }
  }
  return result
}

/**
 * Returns `schema` with its references inlined up to `maxDepth` nested references, deeper ones
 * replaced by `{"description":"(cut at depth N)"}`, descriptions cut to `maxDescriptionLength`
 * characters and extension keywords dropped.
 */
export const compactSchema = (
  definitions: SchemaDefinitions,
  schema: JsonSchema,
  maxDepth: number
): unknown => viewNode({ definitions, maxDepth, compact: true }, schema, 0, [])

/** Returns `schema` with every reference inlined (cycles excepted) and nothing shortened. */
export const dereferencedSchema = (definitions: SchemaDefinitions, schema: JsonSchema): unknown =>
  viewNode({ definitions, maxDepth: undefined, compact: false }, schema, 0, [])

/** Returns `schema` with its top-level reference chain followed, for reading its `properties`. */
export const resolveTop = (definitions: SchemaDefinitions, schema: JsonSchema): JsonSchema => {
  let current: JsonSchema = schema
  for (let hop = 0; hop < 32; hop++) {
    if (!isObject(current)) return current
    const key = definitionKeyOf(current.$ref)
    if (key === undefined) return current
    const target = definitions.get(key)
    if (target === undefined) return current
    current = target
  }
  return current
}
