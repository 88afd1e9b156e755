/**
 * Positive requests for one operation: a value for every required parameter, some optional ones, and
 * a body in the first usable media type. Also the immutable setters that negative and boundary cases
 * use to change one value of a valid request.
 */
import type { RequestBodyValue, StepRequest } from "../../scenario/Scenario.js"
import { emptyRequest } from "../../scenario/Scenario.js"
import type { ApiSpec, JsonSchema, MediaType, Operation, Parameter, RequestBody } from "../../spec/model.js"
import { byteString } from "./formats.js"
import { effectiveSchema } from "./merge.js"
import type { Random } from "./random.js"
import { isObject, resolveRef } from "./resolve.js"
import { firstValidExample, generateValid, type ValueOptions } from "./values.js"

/** Settings for building a positive request. */
export interface RequestOptions extends ValueOptions {
  /** Use parameter and media type examples from the spec when one of them is valid. */
  readonly useExamples: boolean
}

/** A positive request, or why none could be built. */
export type BuiltRequest =
  | {
      readonly ok: true
      readonly request: StepRequest
      /** Whether any value came from a parameter or media type example of the spec. */
      readonly fromExamples: boolean
      /** Optional parameters left out because no valid value was found, with the reason. */
      readonly notes: ReadonlyArray<string>
    }
  | { readonly ok: false; readonly reason: string }

type ParameterBag = "pathParams" | "query" | "headers" | "cookies"

/** Returns the field of a step request that contains the parameters of the parameter's location. */
export const bagOf = (parameter: Parameter): ParameterBag =>
  parameter.in === "path"
    ? "pathParams"
    : parameter.in === "query"
      ? "query"
      : parameter.in === "header"
        ? "headers"
        : "cookies"

// OpenAPI ignores header parameters with these names: the request's media types and credentials set them.
const ignoredHeaders = new Set(["accept", "content-type", "authorization"])

/** Parameters a request can carry: every declared one except the headers OpenAPI ignores. */
export const usableParameters = (operation: Operation): ReadonlyArray<Parameter> =>
  operation.parameters.filter(
    (parameter) => !(parameter.in === "header" && ignoredHeaders.has(parameter.name.toLowerCase()))
  )

/** Whether a media type is JSON (`application/json` or a `+json` suffix). */
export const isJsonMediaType = (mediaType: string): boolean =>
  mediaType === "application/json" || mediaType.endsWith("+json")

const mediaRank = (media: MediaType): number => {
  if (isJsonMediaType(media.mediaType)) return 0
  if (media.mediaType === "application/x-www-form-urlencoded") return 1
  if (media.mediaType.startsWith("multipart/")) return 2
  return 3
}

/** Picks the body's media type: JSON first, then form-urlencoded, then multipart, then the first other. */
export const pickMediaType = (body: RequestBody): MediaType | undefined => {
  let best: MediaType | undefined
  for (const media of body.content) if (best === undefined || mediaRank(media) < mediaRank(best)) best = media
  return best
}

/** Whether a body of this media type is sent as raw bytes. */
export const isBinaryMedia = (media: MediaType): boolean =>
  media.mediaType === "application/octet-stream" ||
  (isObject(media.schema) && media.schema.type === "string" && media.schema.format === "binary")

type Valued =
  | { readonly ok: true; readonly value: unknown; readonly example: boolean }
  | { readonly ok: false; readonly reason: string }

/**
 * Tests whether a schema is a string with no `enum`, `const`, `format` or `pattern`, so that it does
 * not constrain which values the API takes.
 */
export const isFreeFormString = (spec: ApiSpec, schema: JsonSchema): boolean => {
  const flat = effectiveSchema(spec.definitions, schema)
  if (flat === false) return false
  const types = Array.isArray(flat.type) ? flat.type : [flat.type]
  return (
    types.length === 1 &&
    types[0] === "string" &&
    flat.enum === undefined &&
    flat.const === undefined &&
    flat.format === undefined &&
    flat.pattern === undefined
  )
}

const parameterValue = (
  spec: ApiSpec,
  parameter: Parameter,
  random: Random,
  options: RequestOptions
): Valued => {
  // The example of a free-form string parameter is the only valid value known. An opaque cursor or
  // token is such a parameter, and a correct API rejects a made-up value for it.
  if (options.useExamples || isFreeFormString(spec, parameter.schema)) {
    const example = firstValidExample(spec, parameter.schema, parameter.examples)
    if (example !== undefined) return { ok: true, value: example.value, example: true }
  }
  const generated = generateValid(spec, parameter.schema, random, options)
  return generated.ok ? { ok: true, value: generated.value, example: false } : generated
}

/** Lists the media type's examples, then the body schema's own `examples` and `default`. */
const bodyExamples = (spec: ApiSpec, media: MediaType): ReadonlyArray<unknown> => {
  const flat = media.schema === undefined ? false : resolveRef(spec.definitions, media.schema)
  if (typeof flat === "boolean") return media.examples
  const own = Array.isArray(flat.examples) ? flat.examples : []
  return [...media.examples, ...own, ...(flat.default === undefined ? [] : [flat.default])]
}

const bodyValue = (spec: ApiSpec, media: MediaType, random: Random, options: RequestOptions): Valued => {
  if (options.useExamples && media.schema !== undefined) {
    const example = firstValidExample(spec, media.schema, bodyExamples(spec, media))
    if (example !== undefined) return { ok: true, value: example.value, example: true }
  }
  if (isBinaryMedia(media) || media.schema === undefined) {
    const value = isJsonMediaType(media.mediaType) ? {} : byteString(random, random.int(16, 64))
    return { ok: true, value, example: false }
  }
  const generated = generateValid(spec, media.schema, random, options)
  return generated.ok ? { ok: true, value: generated.value, example: false } : generated
}

/**
 * Builds a request that should pass the operation's validation. Each parameter and the body draw from
 * their own fork of `random`, so leaving one parameter out does not change the others' values.
 */
export const buildRequest = (
  spec: ApiSpec,
  operation: Operation,
  random: Random,
  options: RequestOptions
): BuiltRequest => {
  // Values go into fresh bags that no other code can reach yet, so each parameter is set in place
  // instead of copying the request once per parameter.
  const bags: Record<ParameterBag, Record<string, unknown>> = {
    pathParams: {},
    query: {},
    headers: {},
    cookies: {}
  }
  let fromExamples = false
  const notes: Array<string> = []
  for (const parameter of usableParameters(operation)) {
    const stream = random.fork(`parameter:${parameter.in}:${parameter.name}`)
    const included =
      parameter.required ||
      options.optional === "all" ||
      (options.optional === "random" && stream.chance(0.5))
    if (!included) continue
    const valued = parameterValue(spec, parameter, stream, options)
    if (!valued.ok) {
      const reason = `${parameter.in} parameter ${parameter.name}: ${valued.reason}`
      if (parameter.required) return { ok: false, reason }
      notes.push(reason)
      continue
    }
    fromExamples ||= valued.example
    const bag = bags[bagOf(parameter)]
    delete bag[parameter.name]
    if (valued.value !== undefined) bag[parameter.name] = valued.value
  }
  let request: StepRequest = { ...emptyRequest(), ...bags }
  const media = operation.requestBody === undefined ? undefined : pickMediaType(operation.requestBody)
  if (media !== undefined) {
    const valued = bodyValue(spec, media, random.fork("body"), options)
    if (!valued.ok) return { ok: false, reason: `request body (${media.mediaType}): ${valued.reason}` }
    fromExamples ||= valued.example
    request = withBody(request, { mediaType: media.mediaType, value: valued.value })
  }
  return { ok: true, request, fromExamples, notes }
}

/** Returns the request with a parameter set to `value`, or removed when `value` is `undefined`. */
export const withParameter = (request: StepRequest, parameter: Parameter, value: unknown): StepRequest => {
  const bag = bagOf(parameter)
  // A replaced value moves to the end of its bag. Copying key by key instead of using `delete` keeps
  // the copy a fast-properties object.
  const source = request[bag]
  const values: Record<string, unknown> = {}
  for (const key in source) if (key !== parameter.name) values[key] = source[key]
  if (value !== undefined) values[parameter.name] = value
  return { ...request, [bag]: values }
}

/** Returns the request with the given body. */
export const withBody = (request: StepRequest, body: RequestBodyValue): StepRequest => ({ ...request, body })

/** A step from the root of a JSON value to one of its nodes: a property name or an array index. */
export type PathToken = string | number

/** Returns a copy of `root` with the node at `path` replaced by `value`, or removed when `value` is `undefined`. */
export const setAtPath = (root: unknown, path: ReadonlyArray<PathToken>, value: unknown): unknown => {
  const [head, ...tail] = path
  if (head === undefined) return value
  if (Array.isArray(root) && typeof head === "number") {
    const copy = [...root]
    if (tail.length === 0 && value === undefined) copy.splice(head, 1)
    else copy[head] = setAtPath(root[head], tail, value)
    return copy
  }
  if (isObject(root)) {
    const { [String(head)]: child, ...rest } = root
    if (tail.length === 0 && value === undefined) return rest
    return { ...root, [String(head)]: setAtPath(child, tail, value) }
  }
  return root
}

/** Formats a path as a JSON pointer (`/owner/name`, `""` for the root). */
export const toPointer = (path: ReadonlyArray<PathToken>): string =>
  path.map((token) => "/" + String(token).replace(/~/g, "~0").replace(/\//g, "~1")).join("")
