import { isSharedComponent, memoized, type OperationContext } from "./context.js"
import { DocumentFault } from "./fault.js"
import type {
  Encoding,
  JsonSchema,
  Link,
  MediaType,
  ParameterStyle,
  RequestBody,
  Response,
  ResponseHeader
} from "./model.js"
import { collectExampleMap, convert, type RawParameter, swaggerValueSchema } from "./parameters.js"
import { childPointer, isObject, type JsonObject, localRefPointer } from "./pointer.js"
import type { SchemaView } from "./schema.js"

/** Shared empty values: large specs have hundreds of thousands of media types without examples or encoding. */
const noValues: ReadonlyArray<unknown> = Object.freeze([])
const noEncoding: Readonly<Record<string, Encoding>> = Object.freeze({})

const statusPattern = /^([1-5][0-9][0-9]|[1-5]XX|default)$/i

/** Lowercase media type without parameters: `Application/JSON; charset=utf-8` gives `application/json`. */
export const bareMediaType = (value: string): string => (value.split(";")[0] ?? "").trim().toLowerCase()

const readEncoding = (value: unknown): Readonly<Record<string, Encoding>> => {
  if (!isObject(value)) return noEncoding
  const out: Record<string, Encoding> = {}
  for (const name in value) {
    const item = value[name]
    if (!isObject(item)) continue
    const encoding: { -readonly [K in keyof Encoding]: Encoding[K] } = {}
    if (typeof item.contentType === "string") encoding.contentType = item.contentType
    if (typeof item.style === "string") encoding.style = item.style as ParameterStyle
    if (typeof item.explode === "boolean") encoding.explode = item.explode
    if (typeof item.allowReserved === "boolean") encoding.allowReserved = item.allowReserved
    out[name] = encoding
  }
  return out
}

/**
 * Media types of an OpenAPI 3 `content` map, schemas in the given view. `owner` is the pointer of the
 * object that contains the map.
 */
const readContent = (
  context: OperationContext,
  content: unknown,
  owner: string,
  view: SchemaView
): Array<MediaType> => {
  if (content === undefined) return []
  const pointer = childPointer(owner, "content")
  if (!isObject(content))
    throw new DocumentFault(
      "invalid-content",
      pointer,
      `"content" at ${pointer} must be an object of media types`
    )
  const out: Array<MediaType> = []
  for (const name in content) {
    const media = content[name]
    const at = childPointer(pointer, name)
    if (!isObject(media))
      throw new DocumentFault("invalid-content", at, `The media type "${name}" at ${at} must be an object`)
    const examples: Array<unknown> = []
    if (media.example !== undefined) examples.push(media.example)
    collectExampleMap(context, media.examples, at, examples)
    const entry: { -readonly [K in keyof MediaType]: MediaType[K] } = {
      mediaType: bareMediaType(name),
      examples: examples.length === 0 ? noValues : examples,
      encoding: readEncoding(media.encoding)
    }
    if (media.schema !== undefined)
      entry.schema = convert(context, media.schema, childPointer(at, "schema"), view)
    out.push(entry)
  }
  return out
}

/** OpenAPI 3 request body, `$ref`s resolved. */
export const readRequestBody = (
  context: OperationContext,
  value: unknown,
  pointer: string
): RequestBody | undefined => {
  if (value === undefined) return undefined
  const resolved = context.converter.resolveRefs(value, pointer)
  if (!isSharedComponent(context, resolved.pointer, resolved.pointer !== pointer))
    return buildRequestBody(context, resolved)
  return memoized(context, "requestBody", resolved.pointer, (inner) => buildRequestBody(inner, resolved))
}

const buildRequestBody = (
  context: OperationContext,
  resolved: { readonly value: unknown; readonly pointer: string }
): RequestBody => {
  const body = resolved.value
  if (!isObject(body))
    throw new DocumentFault(
      "invalid-request-body",
      resolved.pointer,
      `The request body at ${resolved.pointer} must be an object`
    )
  const out: { -readonly [K in keyof RequestBody]: RequestBody[K] } = {
    required: body.required === true,
    content: readContent(context, body.content, resolved.pointer, "request")
  }
  if (typeof body.description === "string") out.description = body.description
  return out
}

/** Swagger 2.0 `in: body` parameter as a request body, one media type per `consumes` entry. */
export const swaggerBody = (context: OperationContext, parameter: RawParameter): RequestBody => {
  const schema =
    parameter.value.schema === undefined
      ? true
      : convert(context, parameter.value.schema, childPointer(parameter.pointer, "schema"), "request")
  const examples = typeof schema === "object" && Array.isArray(schema.examples) ? schema.examples : []
  const content = context.consumes.map(
    (type): MediaType => ({ mediaType: bareMediaType(type), schema, examples, encoding: noEncoding })
  )
  const out: RequestBody = { required: parameter.value.required === true, content }
  return typeof parameter.value.description === "string"
    ? { ...out, description: parameter.value.description }
    : out
}

/** Swagger 2.0 `formData` parameters as one object schema, multipart or form-urlencoded per `consumes`. */
export const swaggerFormBody = (
  context: OperationContext,
  parameters: ReadonlyArray<RawParameter>
): RequestBody => {
  const properties: Record<string, JsonSchema> = {}
  const required: Array<string> = []
  let hasFile = false
  for (const { value, pointer } of parameters) {
    const name = value.name as string
    if (value.type === "file") hasFile = true
    properties[name] = convert(context, swaggerValueSchema(value), pointer, "request")
    if (value.required === true) required.push(name)
  }
  const schema: JsonSchema =
    required.length > 0 ? { type: "object", properties, required } : { type: "object", properties }
  const declared = context.consumes
    .map(bareMediaType)
    .filter((type) => type === "multipart/form-data" || type === "application/x-www-form-urlencoded")
  // Without a form media type in `consumes`, a file needs multipart and plain fields need urlencoded.
  const fallback = hasFile ? "multipart/form-data" : "application/x-www-form-urlencoded"
  const types = declared.length > 0 ? declared : [fallback]
  return {
    required: required.length > 0,
    content: types.map((mediaType) => ({ mediaType, schema, examples: noValues, encoding: noEncoding }))
  }
}

/** Responses by status, with media types, headers and links. */
export const readResponses = (
  context: OperationContext,
  value: unknown,
  pointer: string
): Array<Response> => {
  if (value === undefined) {
    context.problems.push({
      code: "missing-responses",
      severity: "warning",
      pointer,
      message: `The operation at ${pointer} declares no responses`
    })
    return []
  }
  if (!isObject(value))
    throw new DocumentFault("invalid-responses", pointer, `"responses" at ${pointer} must be an object`)
  const out: Array<Response> = []
  for (const status in value) {
    if (status.startsWith("x-")) continue
    const at = childPointer(pointer, status)
    if (!statusPattern.test(status)) {
      context.problems.push({
        code: "invalid-status",
        severity: "warning",
        pointer: at,
        message: `"${status}" at ${at} is not a status code, a range like 4XX or default; it is skipped`
      })
      continue
    }
    out.push(
      readResponse(
        context,
        status.length === 3 && status !== "default" ? status.toUpperCase() : status,
        value[status],
        at
      )
    )
  }
  return out
}

const readResponse = (
  context: OperationContext,
  status: string,
  value: unknown,
  pointer: string
): Response => {
  const resolved = context.converter.resolveRefs(value, pointer)
  if (!isSharedComponent(context, resolved.pointer, resolved.pointer !== pointer))
    return buildResponse(context, status, resolved)
  return memoized(
    context,
    `response ${status} ${context.version === "2.0" ? context.produces.join(",") : ""}`,
    resolved.pointer,
    (inner) => buildResponse(inner, status, resolved)
  )
}

const buildResponse = (
  context: OperationContext,
  status: string,
  resolved: { readonly value: unknown; readonly pointer: string }
): Response => {
  const response = resolved.value
  const at = resolved.pointer
  if (!isObject(response))
    throw new DocumentFault("invalid-response", at, `The response at ${at} must be an object`)
  const description = typeof response.description === "string" ? response.description : ""
  if (context.version === "2.0") {
    return {
      status,
      description,
      content: swaggerResponseContent(context, response, at),
      headers: readHeaders(context, response.headers, at),
      links: []
    }
  }
  return {
    status,
    description,
    content: readContent(context, response.content, at, "response"),
    headers: readHeaders(context, response.headers, at),
    links: readLinks(context, response.links, at)
  }
}

const swaggerResponseContent = (
  context: OperationContext,
  response: JsonObject,
  pointer: string
): Array<MediaType> => {
  if (response.schema === undefined) return []
  const schema = convert(context, response.schema, childPointer(pointer, "schema"), "response")
  const examples = isObject(response.examples) ? response.examples : {}
  return context.produces.map((type): MediaType => {
    const example = examples[type]
    return {
      mediaType: bareMediaType(type),
      schema,
      examples: example === undefined ? noValues : [example],
      encoding: noEncoding
    }
  })
}

/** Headers of a response, whose pointer is `owner`. */
const readHeaders = (context: OperationContext, headers: unknown, owner: string): Array<ResponseHeader> => {
  if (!isObject(headers)) return []
  const pointer = childPointer(owner, "headers")
  const out: Array<ResponseHeader> = []
  for (const name in headers) {
    // OpenAPI 3 ignores a `Content-Type` response header because the media type already gives it.
    if (name.toLowerCase() === "content-type") continue
    const resolved = context.converter.resolveRefs(headers[name], childPointer(pointer, name))
    const header = resolved.value
    if (!isObject(header))
      throw new DocumentFault(
        "invalid-header",
        resolved.pointer,
        `The header at ${resolved.pointer} must be an object`
      )
    let schema: JsonSchema = true
    if (context.version === "2.0") {
      schema = convert(context, swaggerValueSchema(header), resolved.pointer, "response")
    } else if (header.schema !== undefined) {
      schema = convert(context, header.schema, childPointer(resolved.pointer, "schema"), "response")
    } else if (isObject(header.content)) {
      const first = Object.keys(header.content)[0]
      const media = first === undefined ? undefined : header.content[first]
      if (first !== undefined && isObject(media) && media.schema !== undefined) {
        schema = convert(
          context,
          media.schema,
          childPointer(resolved.pointer, "content", first, "schema"),
          "response"
        )
      }
    }
    out.push({ name, required: header.required === true, schema })
  }
  return out
}

/** Links of a response, whose pointer is `owner`. */
const readLinks = (context: OperationContext, links: unknown, owner: string): Array<Link> => {
  if (!isObject(links)) return []
  const pointer = childPointer(owner, "links")
  const out: Array<Link> = []
  for (const name in links) {
    const resolved = context.converter.resolveRefs(links[name], childPointer(pointer, name))
    const link = resolved.value
    if (!isObject(link)) continue
    let target: string | undefined
    if (typeof link.operationId === "string")
      target = context.linkTargets().byOperationId.get(link.operationId)
    else if (typeof link.operationRef === "string") {
      const refPointer = localRefPointer(link.operationRef)
      target = refPointer === undefined ? undefined : context.linkTargets().byPointer.get(refPointer)
    }
    if (target === undefined) {
      context.problems.push({
        code: "unresolved-link",
        severity: "warning",
        pointer: resolved.pointer,
        message: `The link "${name}" at ${resolved.pointer} names no operation of this document; it is skipped`
      })
      continue
    }
    const entry: Link = {
      name,
      operationId: target,
      parameters: isObject(link.parameters) ? link.parameters : {}
    }
    out.push(link.requestBody === undefined ? entry : { ...entry, requestBody: link.requestBody })
  }
  return out
}
