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

/** Returns the depth of a `cutMarker` placeholder, or `undefined` for any other schema. */
export const cutMarkerDepth = (schema: { readonly [keyword: string]: unknown }): number | undefined => {
  if (Object.keys(schema).length !== 1 || typeof schema.description !== "string") return undefined
  const depth = /^\(cut at depth (\d+)\)$/.exec(schema.description)?.[1]
  return depth === undefined ? undefined : Number(depth)
}

/** Keywords of the JSON Schema 2020-12 meta-data vocabulary, which `responseSchema` leaves out. */
const metaDataKeywords = new Set([
  "title",
  "description",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "examples"
])

const markdownLink = /\[([^\]]*)\]\([^)\s]*\)/g

/**
 * A sentence that only sends the reader to a linked page, such as
 * `For more information, see "[Media types](https://…)."`. Without the URL it gives a model nothing.
 */
const linkOnlySentence =
  /(?:^|\s)For more (?:information|details)\b[^.[\n]*?\bsee "?\[[^\]]*\]\([^)\s]*\)[^.\n]*\."?/g

/** Markdown marks that only format text: bold and italic runs, blockquote starts, alert labels. */
const emphasis = /\*\*|__/g
const blockquoteStart = /^[ \t]*>[ \t]?/gm
const alertLabel = /\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]/gi

/**
 * Shortens a description for a prompt. It replaces Markdown links by their text, because a URL gives
 * a model no hint about values, and drops sentences that only point to a linked page and Markdown
 * formatting marks. Then it joins white space into single spaces and cuts the text to `maxLength`.
 */
export const shortText = (text: string, maxLength = maxDescriptionLength): string => {
  const plain = text
    .replace(linkOnlySentence, "")
    .replace(markdownLink, "$1")
    .replace(blockquoteStart, "")
    .replace(emphasis, "")
    .replace(alertLabel, (_label, kind: string) => `${kind.charAt(0)}${kind.slice(1).toLowerCase()}:`)
    .replace(/\s+/g, " ")
    .trim()
  return plain.length <= maxLength ? plain : `${plain.slice(0, maxLength - 1)}…`
}

interface Walk {
  readonly definitions: SchemaDefinitions
  /** Inlined references allowed on one path before the schema is cut; `undefined` inlines all of them. */
  readonly maxDepth: number | undefined
  /** Whether to shorten descriptions and examples and drop extension keywords (the compact view). */
  readonly compact: boolean
  /** Whether to drop the meta-data keywords (`metaDataKeywords`). */
  readonly dropMetaData: boolean
}

const compositionKeywords = new Set(["oneOf", "anyOf", "allOf"])

const viewBranch = (walk: Walk, branch: unknown, depth: number, chain: ReadonlyArray<string>): unknown => {
  const key = isObject(branch) ? definitionKeyOf(branch.$ref) : undefined
  if (key === undefined || !isObject(branch) || Object.keys(branch).length !== 1)
    return viewNode(walk, branch, depth, chain)
  if (chain.includes(key)) return { description: `(recursive reference to ${key})` }
  const target = walk.definitions.get(key)
  return viewNode(walk, target ?? { description: `(missing definition ${key})` }, depth, [...chain, key])
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
    if (walk.dropMetaData && metaDataKeywords.has(name)) continue
    if (walk.compact && (name === "description" || name === "title") && typeof value === "string") {
      result[name] = shortText(value)
    } else if (walk.compact && name === "examples" && Array.isArray(value)) {
      result[name] = value.slice(0, maxExamples)
    } else if (compositionKeywords.has(name) && Array.isArray(value)) {
      // A branch of `oneOf`, `anyOf` or `allOf` is a variant of this schema, not a nested value, so
      // its reference is inlined at this schema's depth. Only a reference already on the path is cut.
      result[name] = value.map((branch) => viewBranch(walk, branch, depth, chain))
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
): unknown => viewNode({ definitions, maxDepth, compact: true, dropMetaData: false }, schema, 0, [])

/**
 * Returns `schema` like `compactSchema`, without the meta-data keywords (titles, descriptions,
 * defaults, examples and the `deprecated`, `readOnly` and `writeOnly` flags). It is the view of a
 * success response body: the model writes assertions on its fields but no values for it. In GitHub's
 * REST API description (`@octokit/openapi`), these keywords are two thirds of the characters of the
 * success response schemas at depth 1, written in the notation of `schemaText.ts`.
 *
 * NOTE: a rule stated only in the description of a response property (such as "Names are unique
 * within a store") does not reach the model.
 */
export const responseSchema = (
  definitions: SchemaDefinitions,
  schema: JsonSchema,
  maxDepth: number
): unknown => viewNode({ definitions, maxDepth, compact: true, dropMetaData: true }, schema, 0, [])

/** Returns `schema` with every reference inlined (cycles excepted) and nothing shortened. */
export const dereferencedSchema = (definitions: SchemaDefinitions, schema: JsonSchema): unknown =>
  viewNode({ definitions, maxDepth: undefined, compact: false, dropMetaData: false }, schema, 0, [])

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
