/**
 * Boundary cases: a valid request with one value moved to the edge of what its schema allows
 * (shortest and longest strings, lowest and highest numbers, fewest and most items, `null`, every
 * value of a short enum). Each case is checked with the validator and kept only when it is
 * still valid.
 */
import type { StepRequest } from "../../scenario/Scenario.js"
import type { ApiSpec, Operation, Parameter } from "../../spec/model.js"
import { declaredTypes, effectiveSchema } from "./merge.js"
import { type CaseDraft, parameterDraft, parameterSource } from "./negatives.js"
import type { Random } from "./random.js"
import {
  bagOf,
  isFreeFormString,
  isJsonMediaType,
  pickMediaType,
  setAtPath,
  toPointer,
  usableParameters,
  withBody
} from "./request.js"
import type { SchemaObject } from "./resolve.js"
import { extendToLength, integerBounds, shortestPatternString, tidy } from "./scalars.js"
import { generateValue, isValid } from "./values.js"
import { valueNodes } from "./walk.js"

interface Edge {
  readonly rule: string
  readonly value: unknown
  readonly description: string
}

/** Maximum string length and array size built for a boundary case; larger limits are not exercised. */
const maxBoundaryLength = { Length: 4096, Items: 100 } as const

/** Step inside an exclusive bound of a non-integer number. */
const exclusiveStep = 0.01

const alignUp = (value: number, step: unknown): number =>
  typeof step === "number" && step > 0 ? tidy(Math.ceil(value / step) * step) : value
const alignDown = (value: number, step: unknown): number =>
  typeof step === "number" && step > 0 ? tidy(Math.floor(value / step) * step) : value

const numericEdges = (schema: SchemaObject, value: unknown): ReadonlyArray<Edge> => {
  if (typeof value !== "number") return []
  const types = declaredTypes(schema) ?? []
  const integer = types.includes("integer") && !types.includes("number")
  const [intLow, intHigh] = integerBounds(schema)
  const out: Array<Edge> = []
  const { minimum, exclusiveMinimum, maximum, exclusiveMaximum, multipleOf } = schema
  if (typeof minimum === "number" || typeof exclusiveMinimum === "number") {
    const raw = integer
      ? intLow
      : Math.max(
          typeof minimum === "number" ? minimum : Number.NEGATIVE_INFINITY,
          typeof exclusiveMinimum === "number" ? exclusiveMinimum + exclusiveStep : Number.NEGATIVE_INFINITY
        )
    out.push({
      rule: "boundary.minimum",
      value: alignUp(raw, multipleOf),
      description: "lowest allowed value"
    })
  }
  if (typeof maximum === "number" || typeof exclusiveMaximum === "number") {
    const raw = integer
      ? intHigh
      : Math.min(
          typeof maximum === "number" ? maximum : Number.POSITIVE_INFINITY,
          typeof exclusiveMaximum === "number" ? exclusiveMaximum - exclusiveStep : Number.POSITIVE_INFINITY
        )
    out.push({
      rule: "boundary.maximum",
      value: alignDown(raw, multipleOf),
      description: "highest allowed value"
    })
  }
  return out
}

/**
 * Generates a value of `schema` with its length (string or array) fixed to `length`. The value is not
 * validated here: the caller validates the whole request, whose schema is already compiled, because
 * compiling a new schema per boundary is slow on large specs.
 */
const sized = (
  spec: ApiSpec,
  schema: SchemaObject,
  random: Random,
  keyword: "Length" | "Items",
  length: number,
  extreme: "shortest" | "longest",
  current: unknown
): unknown => {
  // randexp cannot aim at a length: a pattern's shortest string comes from its fewest repetitions, and
  // its longest from lengthening the current valid value.
  if (keyword === "Length" && typeof schema.pattern === "string") {
    if (extreme === "shortest") return shortestPatternString(schema.pattern, length)
    return typeof current === "string" ? extendToLength(schema.pattern, current, length) : undefined
  }
  const fixed = { ...schema, [`min${keyword}`]: length, [`max${keyword}`]: length }
  for (let attempt = 0; attempt < 3; attempt++) {
    const generated = generateValue(spec.definitions, fixed, random, {
      preferExamples: false,
      optional: "none"
    })
    if (!generated.ok) return undefined
    const size =
      typeof generated.value === "string" || Array.isArray(generated.value) ? generated.value.length : -1
    if (size === length) return generated.value
  }
  return undefined
}

const lengthEdges = (
  spec: ApiSpec,
  schema: SchemaObject,
  value: unknown,
  random: Random
): ReadonlyArray<Edge> => {
  const out: Array<Edge> = []
  const keyword = typeof value === "string" ? "Length" : Array.isArray(value) ? "Items" : undefined
  if (keyword === undefined) return out
  const unit = keyword === "Length" ? "characters" : "items"
  const min = schema[`min${keyword}`]
  const max = schema[`max${keyword}`]
  // An array without `minItems` may be empty; a string without `minLength` gets no lower boundary case.
  let low: number | undefined
  if (typeof min === "number") low = min
  else if (keyword === "Items") low = 0
  if (low !== undefined && low <= maxBoundaryLength[keyword]) {
    const rule =
      keyword === "Items" && low === 0 ? "boundary.empty-array" : `boundary.min-${keyword.toLowerCase()}`
    out.push({
      rule,
      value: sized(spec, schema, random, keyword, low, "shortest", value),
      description: `${low} ${unit}, the minimum`
    })
  }
  if (typeof max === "number" && max <= maxBoundaryLength[keyword] && max !== low) {
    const rule = `boundary.max-${keyword.toLowerCase()}`
    out.push({
      rule,
      value: sized(spec, schema, random, keyword, max, "longest", value),
      description: `${max} ${unit}, the maximum`
    })
  }
  return out.filter((edge) => edge.value !== undefined)
}

/** Largest enum whose every value gets a case; a longer list is left to the random valid values. */
const maxEnumCases = 16

/**
 * Lists every scalar value of a short enum, so that a bug tied to one value is reached whatever the
 * seed. The value the case base already has is included, since the base itself is usually not sent.
 */
const enumEdges = (schema: SchemaObject): ReadonlyArray<Edge> => {
  const values = schema.enum
  if (!Array.isArray(values) || values.length > maxEnumCases) return []
  return values
    .filter((item) => typeof item === "string" || typeof item === "number" || typeof item === "boolean")
    .map((item) => ({
      rule: "boundary.enum-value",
      value: item,
      description: `the enum value ${JSON.stringify(item)}`
    }))
}

const edgesOf = (
  spec: ApiSpec,
  schema: SchemaObject,
  value: unknown,
  random: Random
): ReadonlyArray<Edge> => {
  const nullable = (declaredTypes(schema) ?? []).includes("null") && value !== null
  return [
    ...lengthEdges(spec, schema, value, random),
    ...numericEdges(schema, value),
    ...enumEdges(schema),
    ...(nullable
      ? [{ rule: "boundary.null", value: null, description: "null, which the schema allows" }]
      : [])
  ]
}

/** Tests whether a parameter can carry a boundary value: no `null`, no empty path segment or empty array. */
const parameterCarries = (parameter: Parameter, value: unknown): boolean => {
  if (value === null || (typeof value === "object" && !Array.isArray(value))) return false
  if (Array.isArray(value)) return parameter.in === "query" && value.length > 0
  return !(parameter.in === "path" && String(value).length === 0)
}

/**
 * Tests whether a form or multipart field can carry a boundary value. An empty array sends no field
 * or one empty field, and `null` an empty one, so neither reaches the server as that value.
 */
const formCarries = (value: unknown): boolean =>
  value !== null && !(Array.isArray(value) && value.length === 0)

const parameterBoundaries = (
  spec: ApiSpec,
  operation: Operation,
  base: StepRequest,
  random: Random
): Array<CaseDraft> => {
  const out: Array<CaseDraft> = []
  for (const parameter of usableParameters(operation)) {
    const current = base[bagOf(parameter)][parameter.name]
    const flat = current === undefined ? false : effectiveSchema(spec.definitions, parameter.schema)
    if (flat === false) continue
    // A free-form string with an example keeps it: a value of another length would be made up, and
    // the API may take only values it issued itself (a cursor, a token).
    if (parameter.examples.length > 0 && isFreeFormString(spec, parameter.schema)) continue
    const source = parameterSource(parameter)
    for (const edge of edgesOf(spec, flat, current, random.fork(source))) {
      if (!parameterCarries(parameter, edge.value) || !isValid(spec, parameter.schema, edge.value)) continue
      const description = `${source}: ${edge.description}`
      const draft = parameterDraft(spec, operation, base, parameter, edge.value, {
        rule: edge.rule,
        source,
        description
      })
      if (draft !== undefined) out.push(draft)
    }
  }
  return out
}

const bodyBoundaries = (
  spec: ApiSpec,
  operation: Operation,
  base: StepRequest,
  random: Random
): Array<CaseDraft> => {
  const body = base.body
  const media = operation.requestBody === undefined ? undefined : pickMediaType(operation.requestBody)
  if (body === undefined || media?.schema === undefined || typeof body.value === "string") return []
  const schema = media.schema
  const json = isJsonMediaType(media.mediaType)
  const out: Array<CaseDraft> = []
  for (const node of valueNodes(spec, schema, body.value)) {
    if (!json && node.path.length !== 1) continue
    const pointer = toPointer(node.path)
    for (const edge of edgesOf(spec, node.schema, node.value, random.fork(pointer))) {
      if (!json && !formCarries(edge.value)) continue
      const value = setAtPath(body.value, node.path, edge.value)
      if (!isValid(spec, schema, value)) continue
      const source = `body#${pointer}`
      out.push({
        rule: edge.rule,
        source,
        description: `${source}: ${edge.description}`,
        request: () => withBody(base, { ...body, value })
      })
    }
  }
  return out
}

/** Lists boundary cases for an operation from one of its valid requests; every case is valid. */
export const boundaryCases = (
  spec: ApiSpec,
  operation: Operation,
  base: StepRequest,
  random: Random
): ReadonlyArray<CaseDraft> => [
  ...parameterBoundaries(spec, operation, base, random),
  ...bodyBoundaries(spec, operation, base, random)
]
