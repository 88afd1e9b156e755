/**
 * A compact text notation for schemas in prompts, close to TypeScript types. It keeps every keyword
 * of a compacted schema (see `compactSchema`) but not the keys, quotes and braces of JSON. Over
 * GitHub's REST API description (`@octokit/openapi`), it takes 68% of the characters of the JSON for
 * request schemas at depth 3, where descriptions are 41% of the JSON, and 36% for response schemas
 * (`responseSchema`) at depth 1.
 *
 * - `{` one property per line `}`, where `name?:` marks an optional property and `name:` a required
 *   one. Properties of one type without descriptions share a line (`a, b?: string`). A short object
 *   without descriptions is one line with `;` between its properties;
 * - `T[]` for arrays, `A | B` for `anyOf`, `oneOf(A | B)` for `oneOf`, `A & B` for `allOf`,
 *   `{[key: string]: T}` for `additionalProperties`, `(cut at depth N)` for a cut schema;
 * - `string(date-time)` for a format, `"a"|"b"` for an enum, `string|null` for a list of types;
 * - other keywords as `keyword=value` with the value in JSON (`maxLength=40`, `pattern="^a"`), a
 *   keyword whose value is `true` as its bare name (`readOnly`), `default=…`, and `e.g. …` for examples;
 * - the description (or the title when there is no description) after `//`, or inside a block comment
 *   when more text follows on the same line.
 */

import { cutMarkerDepth } from "./schemaView.js"

type SchemaObject = { readonly [keyword: string]: unknown }

/** A rendered schema: the type with its keywords, and the comment that belongs after it. */
interface Rendered {
  readonly text: string
  readonly comment: string | undefined
  /** Whether `text` is one type that `[]` can follow without parentheses. */
  readonly atomic: boolean
}

/** Keywords that the notation writes in its own form rather than as `keyword=value`. */
const structuralKeywords = new Set([
  "type",
  "properties",
  "required",
  "items",
  "additionalProperties",
  "enum",
  "const",
  "format",
  "anyOf",
  "oneOf",
  "allOf",
  "default",
  "examples",
  "example",
  "description",
  "title"
])

const indentUnit = " "

/** Length in characters up to which an object without descriptions is written on one line. */
const maxOneLineObject = 80

const isObject = (value: unknown): value is SchemaObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Writes a property name bare when it is a plain word, else quoted as JSON so it reads as a name. */
const propertyName = (name: string): string => (/^[\w$@.-]+$/.test(name) ? name : JSON.stringify(name))

/** Joins whitespace into single spaces, so a comment stays on one line. */
const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim()

const commentOf = (schema: SchemaObject): string | undefined => {
  const description = typeof schema.description === "string" ? oneLine(schema.description) : ""
  const title = typeof schema.title === "string" ? oneLine(schema.title) : ""
  const text = description !== "" ? description : title
  return text === "" ? undefined : text
}

/** Writes a rendered schema on one line, its comment as a block comment. */
const inline = (rendered: Rendered): string =>
  rendered.comment === undefined
    ? rendered.text
    : `${rendered.text} /* ${rendered.comment.replaceAll("*/", "* /")} */`

/** Writes a rendered schema as one operand of `[]`, `|` or `&`, in parentheses unless it is one type. */
const operand = (rendered: Rendered): string =>
  rendered.atomic && rendered.comment === undefined ? rendered.text : `(${inline(rendered)})`

const typeNames = (schema: SchemaObject): ReadonlyArray<string> => {
  if (typeof schema.type === "string") return [schema.type]
  if (Array.isArray(schema.type))
    return schema.type.filter((name): name is string => typeof name === "string")
  if (isObject(schema.properties) || isObject(schema.additionalProperties)) return ["object"]
  if (schema.items !== undefined) return ["array"]
  return []
}

/** Checks whether `format` is written next to a type name, as in `string(date-time)`. */
const formatInType = (schema: SchemaObject): boolean =>
  typeof schema.format === "string" &&
  !("const" in schema) &&
  !Array.isArray(schema.enum) &&
  typeNames(schema).some((name) => name !== "null" && name !== "object" && name !== "array")

/** One line of an object: property labels (`name` or `name?`) that share a type, and the type. */
interface PropertyLine {
  readonly labels: Array<string>
  readonly rendered: Rendered
}

/**
 * Writes an object's properties one line each. Properties of the same one-line type without a
 * description share a line, `a, b?: string`, which saves much of a response with many URL fields.
 */
const objectText = (schema: SchemaObject, indent: string): string => {
  const properties = isObject(schema.properties) ? schema.properties : {}
  const required = new Set(Array.isArray(schema.required) ? schema.required : [])
  const inner = indent + indentUnit
  const lines: Array<PropertyLine> = []
  const shared = new Map<string, PropertyLine>()
  const add = (name: string, rendered: Rendered) => {
    const label = `${propertyName(name)}${required.has(name) ? "" : "?"}`
    const sharable = rendered.comment === undefined && !rendered.text.includes("\n")
    const existing = sharable ? shared.get(rendered.text) : undefined
    if (existing !== undefined) {
      existing.labels.push(label)
      return
    }
    const line = { labels: [label], rendered }
    lines.push(line)
    if (sharable) shared.set(rendered.text, line)
  }
  for (const [name, property] of Object.entries(properties)) add(name, render(property, inner))
  // A name listed in `required` without a schema in `properties` is still required.
  for (const name of required) {
    if (typeof name === "string" && !(name in properties))
      add(name, { text: "any", comment: undefined, atomic: true })
  }
  const members = lines.map(({ labels, rendered }) => ({
    text: `${labels.join(", ")}: ${rendered.text}`,
    comment: rendered.comment
  }))
  const additional = schema.additionalProperties
  if (isObject(additional) || additional === true) {
    const value = additional === true ? "any" : inline(render(additional, inner))
    members.push({ text: `[key: string]: ${value}`, comment: undefined })
  }
  if (members.length === 0) return "object"
  const fitsOneLine = members.every((member) => member.comment === undefined && !member.text.includes("\n"))
  const joined = members.map((member) => member.text).join("; ")
  if (fitsOneLine && joined.length <= maxOneLineObject) return `{${joined}}`
  const written = members.map(
    ({ text, comment }) => `${inner}${text}${comment === undefined ? "" : ` // ${comment}`}`
  )
  return `{\n${written.join("\n")}\n${indent}}`
}

const typeText = (schema: SchemaObject, name: string, indent: string): string => {
  if (name === "object") return objectText(schema, indent)
  if (name === "array")
    return schema.items === undefined ? "array" : `${operand(render(schema.items, indent))}[]`
  return formatInType(schema) && name !== "null" ? `${name}(${String(schema.format)})` : name
}

/** Returns the type written from `const`, `enum` or `type`, and whether it is a single type. */
const baseType = (
  schema: SchemaObject,
  indent: string
): { readonly text: string; readonly single: boolean } | undefined => {
  if ("const" in schema) return { text: JSON.stringify(schema.const), single: true }
  if (Array.isArray(schema.enum)) {
    return {
      text: schema.enum.map((value) => JSON.stringify(value)).join("|"),
      single: schema.enum.length === 1
    }
  }
  const names = typeNames(schema)
  if (names.length === 0) return undefined
  return { text: names.map((name) => typeText(schema, name, indent)).join("|"), single: names.length === 1 }
}

const keywordNotes = (schema: SchemaObject): ReadonlyArray<string> => {
  const notes: Array<string> = []
  for (const [keyword, value] of Object.entries(schema)) {
    if (structuralKeywords.has(keyword)) continue
    notes.push(value === true ? keyword : `${keyword}=${JSON.stringify(value)}`)
  }
  if (Array.isArray(schema.required) && !typeNames(schema).includes("object"))
    notes.push(`required=${JSON.stringify(schema.required)}`)
  if (typeof schema.format === "string" && !formatInType(schema))
    notes.push(`format=${JSON.stringify(schema.format)}`)
  if (schema.additionalProperties === false) notes.push("additionalProperties=false")
  if ("default" in schema) notes.push(`default=${JSON.stringify(schema.default)}`)
  const examples = Array.isArray(schema.examples)
    ? schema.examples
    : "example" in schema
      ? [schema.example]
      : []
  if (examples.length > 0) notes.push(`e.g. ${examples.map((value) => JSON.stringify(value)).join(", ")}`)
  return notes
}

/** Writes the members of `anyOf`, `oneOf` or `allOf`, each distinct text once (cut members look alike). */
const combinationText = (
  schemas: unknown,
  separator: string,
  indent: string
): { readonly text: string; readonly members: number } | undefined => {
  if (!Array.isArray(schemas) || schemas.length === 0) return undefined
  const members = [...new Set(schemas.map((member) => operand(render(member, indent))))]
  return { text: members.join(separator), members: members.length }
}

const render = (schema: unknown, indent: string): Rendered => {
  if (schema === true) return { text: "any", comment: undefined, atomic: true }
  if (schema === false) return { text: "never", comment: undefined, atomic: true }
  if (!isObject(schema)) return { text: JSON.stringify(schema), comment: undefined, atomic: true }
  const cut = cutMarkerDepth(schema)
  if (cut !== undefined) return { text: `(cut at depth ${cut})`, comment: undefined, atomic: true }

  const base = baseType(schema, indent)
  const allOf = combinationText(schema.allOf, " & ", indent)
  const anyOf = combinationText(schema.anyOf, " | ", indent)
  const oneOf = combinationText(schema.oneOf, " | ", indent)
  // `oneOf` with one distinct member is that member, as when all its members were cut.
  let oneOfText: string | undefined
  if (oneOf !== undefined) oneOfText = oneOf.members === 1 ? oneOf.text : `oneOf(${oneOf.text})`
  const parts = [base?.text, allOf?.text, anyOf?.text, oneOfText].filter(
    (part): part is string => part !== undefined
  )
  const type = parts.length === 0 ? "any" : parts.join(" & ")
  const notes = keywordNotes(schema)
  return {
    text: notes.length === 0 ? type : `${type} ${notes.join(" ")}`,
    comment: commentOf(schema),
    atomic: notes.length === 0 && (parts.length === 0 || (parts.length === 1 && base?.single === true))
  }
}

/** A schema in the notation: the type with its keywords, and the text to write after `//`. */
export interface SchemaNotation {
  readonly text: string
  readonly comment: string | undefined
}

/** Writes `schema` in the notation. `indent` is the indentation of the line the schema starts on. */
export const schemaNotation = (schema: unknown, indent = ""): SchemaNotation => {
  const { text, comment } = render(schema, indent)
  return { text, comment }
}
