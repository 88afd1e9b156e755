/**
 * A small validator for the JSON Schema keywords that openapi.yaml uses, applied to requests:
 * `readOnly` properties are rejected when sent, and `required` skips them.
 */
import type { ErrorDetail } from "./http.js"

export type SchemaType = "string" | "number" | "integer" | "boolean" | "object" | "array" | "null"

/** The subset of JSON Schema 2020-12 that the spec's schemas use, in the same shape as the YAML. */
export interface Schema {
  readonly type?: SchemaType | ReadonlyArray<SchemaType>
  readonly const?: string
  readonly enum?: ReadonlyArray<string>
  readonly format?: string
  readonly default?: unknown
  readonly minLength?: number
  readonly maxLength?: number
  readonly pattern?: string
  readonly minimum?: number
  readonly maximum?: number
  readonly items?: Schema
  readonly minItems?: number
  readonly maxItems?: number
  readonly uniqueItems?: boolean
  readonly properties?: Readonly<Record<string, Schema>>
  readonly required?: ReadonlyArray<string>
  readonly additionalProperties?: false
  readonly readOnly?: boolean
  readonly writeOnly?: boolean
  /** Branches distinguished by the discriminator property, which each branch declares with `const`. */
  readonly oneOf?: ReadonlyArray<Schema>
  readonly discriminator?: {
    readonly propertyName: string
    readonly mapping?: Readonly<Record<string, string>>
  }
}

type Location = ErrorDetail["location"]

/** Validates a request value; returns one detail per broken constraint, empty when valid. */
export const validateRequestValue = (
  schema: Schema,
  value: unknown,
  location: Location,
  path = ""
): Array<ErrorDetail> => {
  const details: Array<ErrorDetail> = []
  check(schema, value, { location, path, details })
  return details
}

interface Cursor {
  readonly location: Location
  readonly path: string
  readonly details: Array<ErrorDetail>
}

const report = (cursor: Cursor, message: string): void => {
  cursor.details.push({ location: cursor.location, path: cursor.path, message })
}

const child = (cursor: Cursor, key: string | number): Cursor => ({
  ...cursor,
  path: `${cursor.path}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`
})

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const hasType = (type: SchemaType, value: unknown): boolean => {
  switch (type) {
    case "null":
      return value === null
    case "integer":
      return typeof value === "number" && Number.isInteger(value)
    case "number":
      return typeof value === "number" && Number.isFinite(value)
    case "array":
      return Array.isArray(value)
    case "object":
      return isObject(value)
    default:
      return typeof value === type
  }
}

const check = (schema: Schema, value: unknown, cursor: Cursor): void => {
  if (schema.oneOf !== undefined) {
    checkOneOf(schema, value, cursor)
    return
  }
  if (schema.type !== undefined) {
    const types: ReadonlyArray<SchemaType> = typeof schema.type === "string" ? [schema.type] : schema.type
    if (!types.some((type) => hasType(type, value))) {
      report(cursor, `must be of type ${types.join(" or ")}`)
      return
    }
  }
  if (schema.const !== undefined && value !== schema.const) {
    report(cursor, `must be ${JSON.stringify(schema.const)}`)
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => allowed === value)) {
    report(cursor, `must be one of ${schema.enum.join(", ")}`)
  }
  if (typeof value === "string") checkString(schema, value, cursor)
  if (typeof value === "number") checkNumber(schema, value, cursor)
  if (Array.isArray(value)) checkArray(schema, value, cursor)
  if (isObject(value)) checkObject(schema, value, cursor)
}

const checkString = (schema: Schema, value: string, cursor: Cursor): void => {
  // JSON Schema counts string length in code points, not UTF-16 units.
  const length = [...value].length
  if (schema.minLength !== undefined && length < schema.minLength) {
    report(cursor, `must have at least ${schema.minLength} characters`)
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    report(cursor, `must have at most ${schema.maxLength} characters`)
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
    report(cursor, `must match the pattern ${schema.pattern}`)
  }
}

const checkNumber = (schema: Schema, value: number, cursor: Cursor): void => {
  if (schema.minimum !== undefined && value < schema.minimum) {
    report(cursor, `must be at least ${schema.minimum}`)
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    report(cursor, `must be at most ${schema.maximum}`)
  }
}

const checkArray = (schema: Schema, value: ReadonlyArray<unknown>, cursor: Cursor): void => {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    report(cursor, `must have at least ${schema.minItems} items`)
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    report(cursor, `must have at most ${schema.maxItems} items`)
  }
  if (
    schema.uniqueItems === true &&
    new Set(value.map((item) => JSON.stringify(item))).size !== value.length
  ) {
    report(cursor, "must not contain duplicate items")
  }
  const items = schema.items
  if (items !== undefined) {
    for (const [index, item] of value.entries()) check(items, item, child(cursor, index))
  }
}

const checkObject = (schema: Schema, value: Record<string, unknown>, cursor: Cursor): void => {
  const properties = schema.properties ?? {}
  for (const name of schema.required ?? []) {
    // A required readOnly property is required in responses only.
    if (properties[name]?.readOnly !== true && !(name in value)) {
      report(child(cursor, name), "is required")
    }
  }
  for (const [name, propertyValue] of Object.entries(value)) {
    const property = properties[name]
    if (property === undefined) {
      if (schema.additionalProperties === false) report(child(cursor, name), "is not an allowed property")
    } else if (property.readOnly === true) {
      report(child(cursor, name), "is read-only and must not be sent")
    } else {
      check(property, propertyValue, child(cursor, name))
    }
  }
}

const checkOneOf = (schema: Schema, value: unknown, cursor: Cursor): void => {
  const branches = schema.oneOf ?? []
  const propertyName = schema.discriminator?.propertyName
  if (propertyName === undefined) {
    const matches = branches.filter(
      (branch) => validateRequestValue(branch, value, cursor.location).length === 0
    )
    if (matches.length !== 1) report(cursor, "must match exactly one schema of oneOf")
    return
  }
  if (!isObject(value)) {
    report(cursor, "must be of type object")
    return
  }
  const tag = value[propertyName]
  const branch = branches.find((candidate) => candidate.properties?.[propertyName]?.const === tag)
  if (branch === undefined) {
    const allowed = branches.map((candidate) => candidate.properties?.[propertyName]?.const).join(", ")
    report(child(cursor, propertyName), tag === undefined ? "is required" : `must be one of ${allowed}`)
    return
  }
  check(branch, value, cursor)
}

/** Declaration of a query or path parameter: its name, its schema and whether it is required. */
export interface ParameterSpec {
  readonly name: string
  readonly schema: Schema
  readonly required?: boolean
}

/** Result of reading parameters: their typed values, or the details of what was invalid. */
export type ParsedParameters =
  | { readonly ok: true; readonly values: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly details: ReadonlyArray<ErrorDetail> }

const integerText = /^-?\d+$/

/** Converts one parameter string to the schema's type; a string that cannot convert is returned as is. */
const coerce = (schema: Schema, text: string): unknown => {
  if (schema.type === "integer" && integerText.test(text)) return Number(text)
  return text
}

/**
 * Reads query parameters serialized with style `form`, explode `true` (`?tags=a&tags=b`), applies
 * schema defaults and validates them. A parameter that is not an array may appear once only.
 */
export const parseQuery = (url: URL, specs: ReadonlyArray<ParameterSpec>): ParsedParameters => {
  const values: Record<string, unknown> = {}
  const details: Array<ErrorDetail> = []
  for (const spec of specs) {
    const texts = url.searchParams.getAll(spec.name)
    const at = { location: "query", path: spec.name } as const
    if (texts.length === 0) {
      if (spec.required === true) details.push({ ...at, message: "is required" })
      else if (spec.schema.default !== undefined) values[spec.name] = spec.schema.default
      continue
    }
    const items = spec.schema.items
    if (spec.schema.type === "array" && items !== undefined) {
      values[spec.name] = texts.map((text) => coerce(items, text))
    } else if (texts.length > 1) {
      details.push({ ...at, message: "must be given once" })
      continue
    } else {
      values[spec.name] = coerce(spec.schema, texts[0] ?? "")
    }
    details.push(...validateRequestValue(spec.schema, values[spec.name], "query", spec.name))
  }
  return details.length === 0 ? { ok: true, values } : { ok: false, details }
}

/** Reads an integer path parameter with the given schema; returns the number or the details. */
export const parsePathId = (
  name: string,
  text: string,
  schema: Schema
):
  | { readonly ok: true; readonly id: number }
  | { readonly ok: false; readonly details: ReadonlyArray<ErrorDetail> } => {
  const value = coerce(schema, text)
  const details = validateRequestValue(schema, value, "path", name)
  return details.length === 0 && typeof value === "number" ? { ok: true, id: value } : { ok: false, details }
}
