/**
 * Request encoding: a step's plain-JSON values turned into the HTTP request the spec describes.
 * Pure: the same operation, step request and options always give the same request.
 */
import { Either, type Redacted } from "effect"
import type { FormData } from "undici"
import type { StepRequest } from "../scenario/Scenario.js"
import type { ApiSpec, Operation, Parameter, ParameterLocation, SchemaDefinitions } from "../spec/model.js"
import { applyCredentials, type Credentials } from "./auth.js"
import { encodeBody } from "./body.js"
import { EncodingError } from "./EncodingError.js"
import {
  checkHeader,
  checkWellFormed,
  type SerializationRule,
  serializeCookie,
  serializeHeader,
  serializePath,
  serializeQuery,
  toText
} from "./style.js"

/** An HTTP request ready to send. Header names are lowercase. */
export interface EncodedRequest {
  /** Uppercase method, such as `GET`. */
  readonly method: string
  /** Absolute URL; its path is sent exactly as written here, never normalized. */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array | FormData
  /** The body as text for the record: binary bodies and multipart parts are summarized. */
  readonly bodyText?: string
  /** Secret values in this request as they appear on the wire; the executor masks them in the record. */
  readonly secrets?: ReadonlyArray<string>
}

/** Settings of `encodeRequest` besides the operation and the step's values. */
export interface EncodeOptions {
  /** Target base URL, possibly with a path prefix (`http://host/api/v1`); the operation's path is appended. */
  readonly baseUrl: string
  /** The spec: its security schemes decide how credentials are sent, its definitions resolve body `$ref`s. */
  readonly spec?: Pick<ApiSpec, "securitySchemes" | "definitions">
  /** Targets of `$ref`s in body schemas when no `spec` is given. */
  readonly definitions?: SchemaDefinitions
  /** Credentials, applied by the operation's `security` and the step's `auth` mode. */
  readonly credentials?: Credentials
  /** Headers sent with every request; `Redacted` values are masked in the record like credentials. */
  readonly headers?: Readonly<Record<string, string | Redacted.Redacted<string>>>
}

const defaultStyle: Record<ParameterLocation, SerializationRule["style"]> = {
  path: "simple",
  query: "form",
  header: "simple",
  cookie: "form"
}

/** Looks up the serialization rule of the declared parameter, or the location's defaults for an undeclared one. */
const ruleFor = (operation: Operation, location: ParameterLocation, name: string): SerializationRule => {
  const lower = name.toLowerCase()
  const parameter: Parameter | undefined = operation.parameters.find(
    (candidate) =>
      candidate.in === location &&
      (location === "header" ? candidate.name.toLowerCase() === lower : candidate.name === name)
  )
  if (parameter === undefined) {
    const style = defaultStyle[location]
    return { name, in: location, style, explode: style === "form", allowReserved: false }
  }
  return {
    name,
    in: location,
    style: parameter.style,
    explode: parameter.explode,
    allowReserved: parameter.allowReserved
  }
}

/** Parameters with `content` take one value serialized by their media type, JSON for JSON types. */
const contentValue = (
  operation: Operation,
  location: ParameterLocation,
  name: string,
  value: unknown
): unknown => {
  const parameter = operation.parameters.find(
    (candidate) => candidate.in === location && candidate.name === name
  )
  if (parameter?.mediaType === undefined || value === undefined) return value
  const base = parameter.mediaType.toLowerCase()
  const isJson = base === "application/json" || base.endsWith("+json")
  return isJson ? (JSON.stringify(value) ?? "") : toText(value)
}

const checkValue = (
  location: ParameterLocation,
  name: string,
  value: unknown
): Either.Either<unknown, EncodingError> =>
  Either.map(checkWellFormed(name + " " + (JSON.stringify(value) ?? ""), location, name), () => value)

const fillPath = (operation: Operation, request: StepRequest): Either.Either<string, EncodingError> =>
  Either.gen(function* () {
    let path = ""
    let last = 0
    for (const match of operation.path.matchAll(/\{([^{}]+)\}/g)) {
      const name = match[1]!
      const value = request.pathParams[name]
      if (value === undefined) {
        return yield* Either.left(
          new EncodingError({
            location: "path",
            parameter: name,
            message: `Path parameter "${name}" of operation ${operation.id} has no value; give one in pathParams.`
          })
        )
      }
      yield* checkValue("path", name, value)
      const rule = ruleFor(operation, "path", name)
      path +=
        encodeTemplateText(operation.path.slice(last, match.index)) +
        serializePath(rule, contentValue(operation, "path", name, value))
      last = match.index + match[0].length
    }
    return path + encodeTemplateText(operation.path.slice(last))
  })

// The template's literal text is sent as the spec writes it. Only characters a URL path cannot
// contain (spaces, non-ASCII) are percent-encoded, and existing `%XX` triples stay.
const encodeTemplateText = (text: string): string =>
  text.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu, (char) =>
    Array.from(
      new TextEncoder().encode(char),
      (byte) => "%" + byte.toString(16).toUpperCase().padStart(2, "0")
    ).join("")
  )

const joinBase = (baseUrl: string, path: string): string => {
  const base = baseUrl.replace(/\/+$/, "")
  const suffix = path.startsWith("/") ? path : "/" + path
  return base + suffix
}

const buildQuery = (operation: Operation, request: StepRequest): Either.Either<string, EncodingError> =>
  Either.gen(function* () {
    const pairs: Array<string> = []
    for (const [name, value] of Object.entries(request.query)) {
      yield* checkValue("query", name, value)
      pairs.push(
        ...serializeQuery(ruleFor(operation, "query", name), contentValue(operation, "query", name, value))
      )
    }
    return pairs.join("&")
  })

const buildHeaders = (
  operation: Operation,
  request: StepRequest
): Either.Either<Record<string, string>, EncodingError> =>
  Either.gen(function* () {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined) continue
      const text = serializeHeader(
        ruleFor(operation, "header", name),
        contentValue(operation, "header", name, value)
      )
      headers[name.toLowerCase()] = yield* checkHeader(name, text)
    }
    const cookies: Array<string> = []
    for (const [name, value] of Object.entries(request.cookies)) {
      yield* checkValue("cookie", name, value)
      cookies.push(
        ...serializeCookie(ruleFor(operation, "cookie", name), contentValue(operation, "cookie", name, value))
      )
    }
    if (cookies.length > 0) {
      const existing = headers.cookie
      headers.cookie = existing === undefined ? cookies.join("; ") : existing + "; " + cookies.join("; ")
    }
    return headers
  })

/**
 * Encodes a step's request for an operation: fills the path template, serializes query, header and
 * cookie values by the parameters' `style` and `explode`, and encodes the body by its media type.
 * Then applies `headers` and `credentials` (see `applyCredentials`) and lists the secrets sent.
 */
export const encodeRequest = (
  operation: Operation,
  request: StepRequest,
  options: EncodeOptions
): Either.Either<EncodedRequest, EncodingError> =>
  Either.gen(function* () {
    const path = yield* fillPath(operation, request)
    const query = yield* buildQuery(operation, request)
    const headers = yield* buildHeaders(operation, request)
    const url = joinBase(options.baseUrl, path) + (query === "" ? "" : "?" + query)
    let encoded: EncodedRequest = { method: operation.method.toUpperCase(), url, headers }
    if (request.body !== undefined) {
      const body = yield* encodeBody(
        operation,
        request.body,
        options.spec?.definitions ?? options.definitions
      )
      if (body !== undefined) {
        // A content-type the step sets itself wins, so a test can send a body under the wrong type.
        const keepOwn = body.contentType === undefined || headers["content-type"] !== undefined
        const withType = keepOwn ? headers : { ...headers, "content-type": body.contentType }
        encoded = { ...encoded, headers: withType, body: body.body, bodyText: body.bodyText }
      }
    }
    const credentials: Credentials = {
      ...options.credentials,
      headers: { ...options.headers, ...options.credentials?.headers }
    }
    const authorized = yield* applyCredentials(encoded, operation, {
      securitySchemes: options.spec?.securitySchemes ?? {},
      credentials,
      mode: request.auth
    })
    return authorized.secrets.length === 0
      ? authorized.request
      : { ...authorized.request, secrets: authorized.secrets }
  })
