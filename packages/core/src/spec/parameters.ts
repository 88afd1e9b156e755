import { isSharedComponent, memoized, type OperationContext } from "./context.js"
import { DocumentFault } from "./fault.js"
import type { JsonSchema, Parameter, ParameterLocation, ParameterStyle } from "./model.js"
import { childPointer, isObject, type JsonObject } from "./pointer.js"
import type { SchemaView } from "./schema.js"

/** Shared by the many parameters that have no examples. */
const noExamples: ReadonlyArray<unknown> = Object.freeze([])

const locations = new Set<string>(["path", "query", "header", "cookie"])
const styles = new Set<string>([
  "matrix",
  "label",
  "form",
  "simple",
  "spaceDelimited",
  "pipeDelimited",
  "deepObject"
])

/** Keywords of a Swagger 2.0 parameter, header or items object that describe its value. */
const swaggerSchemaKeywords = [
  "type",
  "format",
  "items",
  "default",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "enum",
  "multipleOf",
  "x-nullable",
  "example"
] as const

/** A parameter object after `$ref` resolution, with its pointer. */
export interface RawParameter {
  readonly value: JsonObject
  readonly pointer: string
  /** Whether `pointer` is the target of a `$ref` rather than the parameter's place in its list. */
  readonly viaRef: boolean
}

/**
 * Path-item and operation parameters merged by (name, in), the operation's winning. `owners` are the
 * pointers of the path item and the operation. A parameter that replaces an earlier one takes its place.
 */
export const mergeParameters = (
  context: OperationContext,
  lists: readonly [unknown, unknown],
  owners: readonly [string, string]
): Array<RawParameter> => {
  const merged: Array<RawParameter> = []
  for (let which = 0; which < 2; which++) {
    const list = lists[which]
    if (list === undefined) continue
    const pointer = childPointer(owners[which] as string, "parameters")
    if (!Array.isArray(list))
      throw new DocumentFault("invalid-parameter", pointer, `"parameters" at ${pointer} must be an array`)
    list.forEach((item, i) => {
      const at = childPointer(pointer, i)
      const resolved = context.converter.resolveRefs(item, at)
      const value = resolved.value
      if (!isObject(value) || typeof value.name !== "string" || typeof value.in !== "string") {
        throw new DocumentFault(
          "invalid-parameter",
          at,
          `The parameter at ${at} needs a string "name" and "in"`
        )
      }
      // Operations have a handful of parameters, so a linear search beats building keys for a map.
      const parameter = { value, pointer: resolved.pointer, viaRef: resolved.pointer !== at }
      let index = 0
      while (index < merged.length && !sameParameter(merged[index] as RawParameter, value)) index++
      merged[index] = parameter
    })
  }
  return merged
}

const sameParameter = (parameter: RawParameter, value: JsonObject): boolean =>
  parameter.value.in === value.in && parameter.value.name === value.name

/** Swagger 2.0 value keywords of a parameter or header, gathered into a schema object. */
export const swaggerValueSchema = (value: JsonObject): JsonObject => {
  const schema: Record<string, unknown> = {}
  for (const keyword of swaggerSchemaKeywords)
    if (value[keyword] !== undefined) schema[keyword] = value[keyword]
  return schema
}

/** Normalizes one path, query, header or cookie parameter. */
export const normalizeParameter = (context: OperationContext, raw: RawParameter): Parameter =>
  isSharedComponent(context, raw.pointer, raw.viaRef)
    ? memoized(context, "parameter", raw.pointer, (inner) => buildParameter(inner, raw))
    : buildParameter(context, raw)

const buildParameter = (context: OperationContext, raw: RawParameter): Parameter => {
  const { value, pointer } = raw
  const location = value.in as string
  if (!locations.has(location))
    throw new DocumentFault(
      "invalid-parameter",
      childPointer(pointer, "in"),
      `The parameter at ${pointer} has the unknown location "${location}"`
    )
  const where = location as ParameterLocation
  const examples: Array<unknown> = []
  if (value.example !== undefined && context.version !== "2.0") examples.push(value.example)
  collectExampleMap(context, value.examples, pointer, examples)

  let schema: JsonSchema = true
  let mediaType: string | undefined
  if (context.version === "2.0") {
    schema = convert(context, swaggerValueSchema(value), pointer, "request")
  } else if (isObject(value.content)) {
    const first = Object.keys(value.content)[0]
    const media = first === undefined ? undefined : value.content[first]
    if (first !== undefined && isObject(media)) {
      mediaType = first.toLowerCase()
      if (media.schema !== undefined)
        schema = convert(context, media.schema, childPointer(pointer, "content", first, "schema"), "request")
      if (media.example !== undefined) examples.push(media.example)
      collectExampleMap(context, media.examples, childPointer(pointer, "content", first), examples)
    }
  } else if (value.schema !== undefined) {
    schema = convert(context, value.schema, childPointer(pointer, "schema"), "request")
  }
  if (typeof schema === "object" && Array.isArray(schema.examples)) examples.push(...schema.examples)

  const { style, explode } = serialization(context, value, where)
  const parameter: { -readonly [K in keyof Parameter]: Parameter[K] } = {
    name: value.name as string,
    in: where,
    required: where === "path" ? true : value.required === true,
    deprecated: value.deprecated === true,
    style,
    explode,
    allowReserved: value.allowReserved === true,
    allowEmptyValue: value.allowEmptyValue === true,
    schema,
    examples: examples.length === 0 ? noExamples : examples
  }
  if (mediaType !== undefined) parameter.mediaType = mediaType
  if (typeof value.description === "string") parameter.description = value.description
  return parameter
}

/** `style` / `explode` with the defaults of the location; Swagger 2.0 `collectionFormat` mapped. */
const serialization = (
  context: OperationContext,
  value: JsonObject,
  where: ParameterLocation
): { style: ParameterStyle; explode: boolean } => {
  const defaultStyle: ParameterStyle = where === "query" || where === "cookie" ? "form" : "simple"
  if (context.version === "2.0") {
    switch (value.collectionFormat) {
      case "multi":
        return { style: "form", explode: true }
      case "ssv":
        return { style: "spaceDelimited", explode: false }
      case "pipes":
        return { style: "pipeDelimited", explode: false }
      default:
        // NOTE: `tsv` has no OpenAPI 3 style; it is treated like the default `csv`.
        return { style: defaultStyle, explode: false }
    }
  }
  const style =
    typeof value.style === "string" && styles.has(value.style)
      ? (value.style as ParameterStyle)
      : defaultStyle
  const explode = typeof value.explode === "boolean" ? value.explode : style === "form"
  return { style, explode }
}

/** Converts a schema for an operation, recording the definitions it references. */
export const convert = (
  context: OperationContext,
  schema: unknown,
  pointer: string,
  view: SchemaView
): JsonSchema => context.converter.convert(schema, pointer, view, context.references)

/**
 * Appends the values of an OpenAPI 3 `examples` map (Example objects, possibly `$ref`s). `owner` is the
 * pointer of the object that contains the map.
 */
export const collectExampleMap = (
  context: OperationContext,
  examples: unknown,
  owner: string,
  into: Array<unknown>
): void => {
  if (!isObject(examples)) return
  const pointer = childPointer(owner, "examples")
  for (const name in examples) {
    const resolved = context.converter.resolveRefs(examples[name], childPointer(pointer, name)).value
    if (isObject(resolved) && resolved.value !== undefined) into.push(resolved.value)
  }
}
