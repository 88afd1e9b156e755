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
import type { RecordedPart } from "./Exchange.js"
import {
  checkHeader,
  encodeQueryReserved,
  encodeStrict,
  hasLoneSurrogate,
  loneSurrogateError,
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
  /** The parts of a multipart body, for the record. */
  readonly parts?: ReadonlyArray<RecordedPart>
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

type ParameterIndex = Readonly<Record<ParameterLocation, ReadonlyMap<string, Parameter>>>

// Declared parameters by location and name, built once per operation: a request with many parameters
// would otherwise scan the whole list for each value. Header names are keyed in lowercase.
const parameterIndexes = new WeakMap<Operation, ParameterIndex>()

const indexOf = (operation: Operation): ParameterIndex => {
  const known = parameterIndexes.get(operation)
  if (known !== undefined) return known
  const index = { path: new Map(), query: new Map(), header: new Map(), cookie: new Map() }
  // The first declaration of a name wins, as a linear search would find it.
  for (const parameter of operation.parameters) {
    const byName = index[parameter.in]
    const name = parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name
    if (!byName.has(name)) byName.set(name, parameter)
  }
  parameterIndexes.set(operation, index)
  return index
}

const declaredParameter = (
  operation: Operation,
  location: ParameterLocation,
  name: string
): Parameter | undefined =>
  indexOf(operation)[location].get(location === "header" ? name.toLowerCase() : name)

/** Looks up the serialization rule of the declared parameter, or the location's defaults for an undeclared one. */
const ruleFor = (
  parameter: Parameter | undefined,
  location: ParameterLocation,
  name: string
): SerializationRule => {
  if (parameter === undefined) {
    const style = defaultStyle[location]
    return { name, in: location, style, explode: style === "form", allowReserved: false }
  }
  // A declared parameter carries every field of a rule; only a header's name may differ in case.
  if (parameter.name === name) return parameter
  return {
    name,
    in: location,
    style: parameter.style,
    explode: parameter.explode,
    allowReserved: parameter.allowReserved
  }
}

/** Parameters with `content` take one value serialized by their media type, JSON for JSON types. */
const contentValue = (parameter: Parameter | undefined, value: unknown): unknown => {
  if (parameter?.mediaType === undefined || value === undefined) return value
  const base = parameter.mediaType.toLowerCase()
  const isJson = base === "application/json" || base.endsWith("+json")
  return isJson ? (JSON.stringify(value) ?? "") : toText(value)
}

/** Returns the error for a value that cannot be encoded, or `undefined` when it can. */
const checkValue = (location: ParameterLocation, name: string, value: unknown): EncodingError | undefined =>
  hasLoneSurrogate(name) || hasLoneSurrogate(value) ? loneSurrogateError(location, name) : undefined

/** A path template split once: `literals` (already encoded) sit around the `names` of its parameters. */
interface PathTemplate {
  readonly literals: ReadonlyArray<string>
  readonly names: ReadonlyArray<string>
}

const pathTemplates = new WeakMap<Operation, PathTemplate>()

const templateOf = (operation: Operation): PathTemplate => {
  const known = pathTemplates.get(operation)
  if (known !== undefined) return known
  const literals: Array<string> = []
  const names: Array<string> = []
  let last = 0
  for (const match of operation.path.matchAll(/\{([^{}]+)\}/g)) {
    literals.push(encodeTemplateText(operation.path.slice(last, match.index)))
    names.push(match[1]!)
    last = match.index + match[0].length
  }
  literals.push(encodeTemplateText(operation.path.slice(last)))
  const template = { literals, names }
  pathTemplates.set(operation, template)
  return template
}

const fillPath = (operation: Operation, request: StepRequest): Either.Either<string, EncodingError> => {
  const { literals, names } = templateOf(operation)
  let path = ""
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!
    const value = request.pathParams[name]
    if (value === undefined) {
      return Either.left(
        new EncodingError({
          location: "path",
          parameter: name,
          message: `Path parameter "${name}" of operation ${operation.id} has no value; give one in pathParams.`
        })
      )
    }
    const invalid = checkValue("path", name, value)
    if (invalid !== undefined) return Either.left(invalid)
    const parameter = declaredParameter(operation, "path", name)
    path += literals[index] + serializePath(ruleFor(parameter, "path", name), contentValue(parameter, value))
  }
  return Either.right(path + literals[names.length])
}

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

const buildQuery = (operation: Operation, request: StepRequest): Either.Either<string, EncodingError> => {
  const pairs: Array<string> = []
  const declared = indexOf(operation).query
  for (const name in request.query) {
    const value = request.query[name]
    const invalid = checkValue("query", name, value)
    if (invalid !== undefined) return Either.left(invalid)
    const parameter = declared.get(name)
    // A scalar gives `name=value` in every style, and most query values are scalars.
    if (parameter?.mediaType === undefined && typeof value !== "object" && value !== undefined) {
      const encodeValue = parameter?.allowReserved === true ? encodeQueryReserved : encodeStrict
      pairs.push(encodeStrict(name) + "=" + encodeValue(toText(value)))
      continue
    }
    for (const pair of serializeQuery(ruleFor(parameter, "query", name), contentValue(parameter, value)))
      pairs.push(pair)
  }
  // One join gives a flat string; appending pair by pair would build a chain of string pieces.
  return Either.right(pairs.join("&"))
}

const buildHeaders = (
  operation: Operation,
  request: StepRequest
): Either.Either<Record<string, string>, EncodingError> => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue
    const parameter = declaredParameter(operation, "header", name)
    const text = serializeHeader(ruleFor(parameter, "header", name), contentValue(parameter, value))
    const checked = checkHeader(name, text)
    if (checked._tag === "Left") return Either.left(checked.left)
    headers[name.toLowerCase()] = checked.right
  }
  const cookies: Array<string> = []
  for (const [name, value] of Object.entries(request.cookies)) {
    const invalid = checkValue("cookie", name, value)
    if (invalid !== undefined) return Either.left(invalid)
    const parameter = declaredParameter(operation, "cookie", name)
    cookies.push(...serializeCookie(ruleFor(parameter, "cookie", name), contentValue(parameter, value)))
  }
  if (cookies.length > 0) {
    const existing = headers.cookie
    headers.cookie = existing === undefined ? cookies.join("; ") : existing + "; " + cookies.join("; ")
  }
  return Either.right(headers)
}

/**
 * Encodes a step's request for an operation: fills the path template, serializes query, header and
 * cookie values by the parameters' `style` and `explode`, and encodes the body by its media type.
 * Then applies `headers` and `credentials` (see `applyCredentials`) and lists the secrets sent.
 */
export const encodeRequest = (
  operation: Operation,
  request: StepRequest,
  options: EncodeOptions
): Either.Either<EncodedRequest, EncodingError> => {
  // Plain early returns instead of `Either.gen`: this runs for every step, and the generator cost
  // more than the encoding of a request with a few parameters.
  const path = fillPath(operation, request)
  if (path._tag === "Left") return Either.left(path.left)
  const query = buildQuery(operation, request)
  if (query._tag === "Left") return Either.left(query.left)
  const built = buildHeaders(operation, request)
  if (built._tag === "Left") return Either.left(built.left)
  const headers = built.right
  const url = joinBase(options.baseUrl, path.right) + (query.right === "" ? "" : "?" + query.right)
  let encoded: EncodedRequest = { method: operation.method.toUpperCase(), url, headers }
  if (request.body !== undefined) {
    const body = encodeBody(operation, request.body, options.spec?.definitions ?? options.definitions)
    if (body._tag === "Left") return Either.left(body.left)
    if (body.right !== undefined) {
      const { contentType, body: payload, bodyText, parts } = body.right
      // A content-type the step sets itself wins, so a test can send a body under the wrong type.
      const keepOwn = contentType === undefined || headers["content-type"] !== undefined
      const withType = keepOwn ? headers : { ...headers, "content-type": contentType }
      encoded = {
        ...encoded,
        headers: withType,
        body: payload,
        bodyText,
        ...(parts === undefined ? {} : { parts })
      }
    }
  }
  const credentials: Credentials =
    options.headers === undefined
      ? (options.credentials ?? {})
      : { ...options.credentials, headers: { ...options.headers, ...options.credentials?.headers } }
  const authorized = applyCredentials(encoded, operation, {
    securitySchemes: options.spec?.securitySchemes ?? {},
    credentials,
    mode: request.auth
  })
  if (authorized._tag === "Left") return Either.left(authorized.left)
  const { request: sent, secrets } = authorized.right
  return Either.right(secrets.length === 0 ? sent : { ...sent, secrets })
}
