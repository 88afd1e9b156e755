/**
 * Negative cases: a valid request with exactly one value made invalid. Every case is checked with the
 * validator and dropped when the changed value still passes (a schema may allow any type, say).
 */
import type { StepRequest } from "../../scenario/Scenario.js"
import type { ApiSpec, Operation, Parameter } from "../../spec/model.js"
import { effectiveSchema } from "./merge.js"
import {
  bagOf,
  isJsonMediaType,
  pickMediaType,
  setAtPath,
  toPointer,
  usableParameters,
  withBody,
  withParameter
} from "./request.js"
import { isObject } from "./resolve.js"
import { isValid } from "./values.js"
import { violationsOf } from "./violations.js"
import { valueNodes } from "./walk.js"

/** One changed request with what it tests. */
export interface CaseDraft {
  /** Provenance rule, such as `negative.wrong-type` or `boundary.max-length`. */
  readonly rule: string
  /** The parameter (`query.limit`) or body JSON pointer (`body#/owner/name`) the case changes. */
  readonly source: string
  readonly description: string
  /**
   * Builds the changed request. Only kept drafts build one, because a copy of a request with many
   * parameters for every draft was most of what generation allocated.
   */
  readonly request: () => StepRequest
}

/**
 * Makes the draft that sets one parameter to `value`. A path value is applied at once, because the
 * request must stay on the operation's route (see `keepsRoute`). A value that leaves it gives no draft.
 */
export const parameterDraft = (
  spec: ApiSpec,
  operation: Operation,
  base: StepRequest,
  parameter: Parameter,
  value: unknown,
  about: Pick<CaseDraft, "rule" | "source" | "description">
): CaseDraft | undefined => {
  if (parameter.in !== "path") return { ...about, request: () => withParameter(base, parameter, value) }
  const request = withParameter(base, parameter, value)
  return keepsRoute(spec, operation, request, value) ? { ...about, request: () => request } : undefined
}

/** Name of a parameter as a provenance source, such as `query.limit`. */
export const parameterSource = (parameter: Parameter): string => `${parameter.in}.${parameter.name}`

const isScalar = (value: unknown): boolean =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean"

interface Template {
  readonly path: string
  /** Segments, with `undefined` for a `{name}` segment that takes any non-empty value. */
  readonly parts: ReadonlyArray<string | undefined>
}

// Each spec's distinct path templates, grouped by segment count, so a concrete path is compared only
// with templates of its own length instead of with every operation.
const templatesBySpec = new WeakMap<ApiSpec, Map<number, ReadonlyArray<Template>>>()

const templatesOf = (spec: ApiSpec): Map<number, ReadonlyArray<Template>> => {
  const cached = templatesBySpec.get(spec)
  if (cached !== undefined) return cached
  const byLength = new Map<number, Array<Template>>()
  for (const path of new Set(spec.operations.map((operation) => operation.path))) {
    const parts = path.split("/").map((part) => (/^\{[^}]+\}$/.test(part) ? undefined : part))
    byLength.set(parts.length, [...(byLength.get(parts.length) ?? []), { path, parts }])
  }
  templatesBySpec.set(spec, byLength)
  return byLength
}

/** Tests whether a path template matches a concrete path, each `{name}` taking one non-empty segment. */
const templateMatches = (template: Template, segments: ReadonlyArray<string>): boolean =>
  template.parts.every((part, index) => {
    const segment = segments[index] as string
    return part === undefined ? segment.length > 0 : part === segment
  })

/**
 * Tests whether a changed path parameter value keeps the request on this operation's route: a non-empty
 * segment without reserved characters that no other path template of the spec matches. Templates of
 * every method count, since a router matches the path before the method.
 */
export const keepsRoute = (
  spec: ApiSpec,
  operation: Operation,
  request: StepRequest,
  value: unknown
): boolean => {
  if (!isScalar(value)) return false
  const text = String(value)
  if (text.length === 0 || /[/?#%]/.test(text) || text === "." || text === "..") return false
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    String(request.pathParams[name] ?? "x")
  )
  const segments = path.split("/")
  const candidates = templatesOf(spec).get(segments.length) ?? []
  return !candidates.some(
    (template) => template.path !== operation.path && templateMatches(template, segments)
  )
}

/** Whether a parameter can carry `value` on the wire: text-like scalars, or arrays of them in a query. */
const serializable = (parameter: Parameter, value: unknown): boolean =>
  isScalar(value) || (parameter.in === "query" && Array.isArray(value) && value.every(isScalar))

const parameterNegatives = (spec: ApiSpec, operation: Operation, base: StepRequest): Array<CaseDraft> => {
  const out: Array<CaseDraft> = []
  for (const parameter of usableParameters(operation)) {
    const source = parameterSource(parameter)
    const current = base[bagOf(parameter)][parameter.name]
    if (current === undefined) continue
    if (parameter.required && parameter.in !== "path") {
      const description = `required ${parameter.in} parameter ${parameter.name} is missing`
      out.push({
        rule: "negative.missing-required",
        source,
        description,
        request: () => withParameter(base, parameter, undefined)
      })
    }
    const flat = effectiveSchema(spec.definitions, parameter.schema)
    if (flat === false) continue
    for (const violation of violationsOf(flat, current, true)) {
      if (!serializable(parameter, violation.value) || isValid(spec, parameter.schema, violation.value))
        continue
      // On the wire a lone value reads the same as an array of one item, so it is no violation there.
      if (isScalar(violation.value) && isValid(spec, parameter.schema, [violation.value])) continue
      const description = `${source}: ${violation.description}`
      const draft = parameterDraft(spec, operation, base, parameter, violation.value, {
        rule: violation.rule,
        source,
        description
      })
      if (draft !== undefined) out.push(draft)
    }
  }
  return out
}

const additionalName = "unexpectedProperty"

const bodyNegatives = (spec: ApiSpec, operation: Operation, base: StepRequest): Array<CaseDraft> => {
  const body = base.body
  const media = operation.requestBody === undefined ? undefined : pickMediaType(operation.requestBody)
  if (body === undefined || media?.schema === undefined || typeof body.value === "string") return []
  const schema = media.schema
  const json = isJsonMediaType(media.mediaType)
  const out: Array<CaseDraft> = []
  const add = (rule: string, pointer: string, description: string, value: unknown) => {
    if (isValid(spec, schema, value)) return
    const source = `body#${pointer}`
    out.push({
      rule,
      source,
      description: `${source}: ${description}`,
      request: () => withBody(base, { ...body, value })
    })
  }
  for (const node of valueNodes(spec, schema, body.value)) {
    // Form and multipart fields are text: only the root object and its fields get cases.
    const text = !json
    if (text && node.path.length > 1) continue
    if (isObject(node.value) && (json || node.path.length === 0)) {
      const required = Array.isArray(node.schema.required) ? node.schema.required : []
      for (const name of required) {
        if (typeof name !== "string" || !(name in node.value)) continue
        const path = [...node.path, name]
        add(
          "negative.missing-required",
          toPointer(path),
          `required property ${name} is missing`,
          setAtPath(body.value, path, undefined)
        )
      }
      if (node.schema.additionalProperties === false && !(additionalName in node.value)) {
        const path = [...node.path, additionalName]
        add(
          "negative.additional-property",
          toPointer(path),
          "property not allowed by additionalProperties: false",
          setAtPath(body.value, path, "unexpected")
        )
      }
    }
    if (text && node.path.length === 0) continue
    for (const violation of violationsOf(node.schema, node.value, text)) {
      if (text && !isScalar(violation.value)) continue
      // A field sent once reads the same as an array of one item, so it is no violation there.
      if (text && isValid(spec, schema, setAtPath(body.value, node.path, [violation.value]))) continue
      add(
        violation.rule,
        toPointer(node.path),
        violation.description,
        setAtPath(body.value, node.path, violation.value)
      )
    }
  }
  return out
}

/** Lists negative cases for an operation from one of its valid requests, one violation each. */
export const negativeCases = (
  spec: ApiSpec,
  operation: Operation,
  base: StepRequest
): ReadonlyArray<CaseDraft> => [
  ...parameterNegatives(spec, operation, base),
  ...bodyNegatives(spec, operation, base)
]
