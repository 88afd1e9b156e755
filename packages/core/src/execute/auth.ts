/**
 * Credentials: applied to a request by the operation's security requirements and the spec's
 * security schemes. Every secret value that goes on the wire is listed, so the executor can mask
 * it in the record.
 */
import { Either, Redacted } from "effect"
import type { AuthMode } from "../scenario/Scenario.js"
import type { Operation, SecurityRequirement, SecurityScheme } from "../spec/model.js"
import type { EncodingError } from "./EncodingError.js"
import type { EncodedRequest } from "./encode.js"
import { checkHeader, encodeStrict } from "./style.js"

/** Credentials for a target. Secret values are `Redacted` so that they never print. */
export interface Credentials {
  /** Secrets by security scheme name: apiKey values, or a token for one http bearer, oauth2 or openIdConnect scheme. */
  readonly apiKeys?: Readonly<Record<string, Redacted.Redacted<string>>>
  /** Token for http bearer, oauth2 and openIdConnect schemes without their own entry in `apiKeys`. */
  readonly bearer?: Redacted.Redacted<string>
  readonly basic?: { readonly username: string; readonly password: Redacted.Redacted<string> }
  /** Headers sent with every request; `Redacted` values are treated as credentials. */
  readonly headers?: Readonly<Record<string, Redacted.Redacted<string> | string>>
}

/** Settings of `applyCredentials` besides the request and operation. */
export interface AuthOptions {
  readonly securitySchemes: Readonly<Record<string, SecurityScheme>>
  readonly credentials?: Credentials
  /** `default` sends the configured credentials, `none` none, `invalid` wrong values of the same shape. */
  readonly mode: AuthMode
}

/** A request with credentials applied, and the secret values in it as they appear on the wire. */
export interface AuthorizedRequest {
  readonly request: EncodedRequest
  readonly secrets: ReadonlyArray<string>
  /** Names of the security schemes whose credentials were sent. */
  readonly schemes: ReadonlyArray<string>
}

/** Values sent for `auth: "invalid"`. They are not secrets: they are meant to be rejected. */
export const invalidCredential = {
  token: "qawave-invalid-token",
  apiKey: "qawave-invalid-api-key",
  username: "qawave-invalid-user",
  password: "qawave-invalid-password",
  header: "qawave-invalid-value"
} as const

interface Applied {
  headers: Record<string, string>
  query: Array<string>
  cookies: Array<string>
  secrets: Array<string>
}

const secretFor = (
  name: string,
  scheme: SecurityScheme,
  credentials: Credentials | undefined
): string | undefined => {
  if (credentials === undefined) return undefined
  const own = credentials.apiKeys?.[name]
  switch (scheme.type) {
    case "apiKey":
      return own === undefined ? undefined : Redacted.value(own)
    case "http":
      // Basic credentials are a pair, not one secret; `hasCredential` checks them.
      if (scheme.scheme !== "bearer") return undefined
      return own !== undefined
        ? Redacted.value(own)
        : credentials.bearer && Redacted.value(credentials.bearer)
    case "oauth2":
    case "openIdConnect":
      return own !== undefined
        ? Redacted.value(own)
        : credentials.bearer && Redacted.value(credentials.bearer)
    case "mutualTLS":
      return undefined
  }
}

const hasCredential = (
  name: string,
  scheme: SecurityScheme | undefined,
  credentials: Credentials | undefined
) => {
  if (scheme === undefined) return false
  if (scheme.type === "http" && scheme.scheme === "basic") return credentials?.basic !== undefined
  return secretFor(name, scheme, credentials) !== undefined
}

// NOTE: mutualTLS and http schemes other than basic and bearer (digest, for one) cannot be sent.
const canSend = (scheme: SecurityScheme | undefined): boolean =>
  scheme !== undefined &&
  (scheme.type === "apiKey" ||
    scheme.type === "oauth2" ||
    scheme.type === "openIdConnect" ||
    (scheme.type === "http" && (scheme.scheme === "basic" || scheme.scheme === "bearer")))

/** Picks the first non-empty alternative the credentials fully satisfy (or, for `invalid`, that can be sent). */
const pickAlternative = (
  security: ReadonlyArray<SecurityRequirement>,
  options: AuthOptions
): SecurityRequirement | undefined =>
  security.find(
    (alternative) =>
      alternative.length > 0 &&
      alternative.every(({ scheme }) => {
        const definition = options.securitySchemes[scheme]
        return options.mode === "invalid"
          ? canSend(definition)
          : hasCredential(scheme, definition, options.credentials)
      })
  )

const applyScheme = (
  name: string,
  scheme: SecurityScheme,
  options: AuthOptions,
  applied: Applied
): Either.Either<void, EncodingError> => {
  const invalid = options.mode === "invalid"
  if (scheme.type === "http" && scheme.scheme === "basic") {
    const basic = options.credentials?.basic
    const username = invalid || basic === undefined ? invalidCredential.username : basic.username
    const password =
      invalid || basic === undefined ? invalidCredential.password : Redacted.value(basic.password)
    const token = Buffer.from(`${username}:${password}`, "utf8").toString("base64")
    applied.headers.authorization = `Basic ${token}`
    if (!invalid) applied.secrets.push(token, password)
    return Either.void
  }
  if (scheme.type === "apiKey") {
    const value = invalid ? invalidCredential.apiKey : (secretFor(name, scheme, options.credentials) ?? "")
    if (!invalid) applied.secrets.push(value)
    if (scheme.in === "header") {
      return Either.map(checkHeader(scheme.parameterName, value, "credentials"), (checked) => {
        applied.headers[scheme.parameterName.toLowerCase()] = checked
      })
    }
    const pair = `${encodeStrict(scheme.parameterName)}=${encodeStrict(value)}`
    if (!invalid) applied.secrets.push(encodeStrict(value))
    if (scheme.in === "query") applied.query.push(pair)
    else applied.cookies.push(pair)
    return Either.void
  }
  const token = invalid ? invalidCredential.token : (secretFor(name, scheme, options.credentials) ?? "")
  if (!invalid) applied.secrets.push(token)
  return Either.map(checkHeader("authorization", `Bearer ${token}`, "credentials"), (checked) => {
    applied.headers.authorization = checked
  })
}

/**
 * Adds the headers sent with every request. A `Redacted` value is a credential. So is a plain value whose
 * name an apiKey scheme of the operation uses, and `Authorization` on a secured operation. A credential is
 * left out in `none` mode, replaced in `invalid` mode and masked in the record.
 */
const applyHeaders = (
  operation: Operation,
  options: AuthOptions,
  applied: Applied
): Either.Either<void, EncodingError> => {
  const extra = options.credentials?.headers
  if (extra === undefined) return Either.void
  const credentialNames = credentialParameters(operation, options.securitySchemes).header
  const secured = operation.security.length > 0
  for (const [name, value] of Object.entries(extra)) {
    const lower = name.toLowerCase()
    const secret =
      Redacted.isRedacted(value) || credentialNames.has(lower) || (secured && lower === "authorization")
    // In `none` mode secret headers are left out; plain ones (a tenant id, say) still go.
    if (secret && options.mode === "none") continue
    const plain = Redacted.isRedacted(value) ? Redacted.value(value) : value
    const text = secret && options.mode === "invalid" ? invalidCredential.header : plain
    const checked = checkHeader(name, text, "credentials")
    if (Either.isLeft(checked)) return Either.left(checked.left)
    applied.headers[name.toLowerCase()] = text
    if (secret && options.mode === "default") applied.secrets.push(text)
  }
  return Either.void
}

const isEmpty = (record: Readonly<Record<string, string>>): boolean => {
  for (const _ in record) return false
  return true
}

const merge = (request: EncodedRequest, applied: Applied): EncodedRequest => {
  // Most operations of a spec have no security, and the request is then sent as encoded.
  if (applied.cookies.length === 0 && applied.query.length === 0 && isEmpty(applied.headers)) return request
  const headers: Record<string, string> = { ...request.headers, ...applied.headers }
  if (applied.cookies.length > 0) {
    const cookies = applied.cookies.join("; ")
    headers.cookie = request.headers.cookie === undefined ? cookies : `${request.headers.cookie}; ${cookies}`
  }
  if (applied.query.length === 0) return { ...request, headers }
  const separator = request.url.includes("?") ? "&" : "?"
  return { ...request, headers, url: request.url + separator + applied.query.join("&") }
}

interface CredentialNames {
  readonly header: ReadonlySet<string>
  readonly query: ReadonlySet<string>
  readonly cookie: ReadonlySet<string>
  readonly none: boolean
}

// The names depend on the operation and the spec's schemes only, and every request of the operation needs them.
const namesByOperation = new WeakMap<
  Operation,
  { readonly schemes: Readonly<Record<string, SecurityScheme>>; readonly names: CredentialNames }
>()

/** The header, query and cookie names that the operation's apiKey schemes put credentials in. */
const credentialParameters = (
  operation: Operation,
  schemes: Readonly<Record<string, SecurityScheme>>
): CredentialNames => {
  const known = namesByOperation.get(operation)
  if (known !== undefined && known.schemes === schemes) return known.names
  const names = collectCredentialNames(operation, schemes)
  namesByOperation.set(operation, { schemes, names })
  return names
}

const collectCredentialNames = (
  operation: Operation,
  schemes: Readonly<Record<string, SecurityScheme>>
): CredentialNames => {
  const names = { header: new Set<string>(), query: new Set<string>(), cookie: new Set<string>() }
  for (const alternative of operation.security) {
    for (const { scheme } of alternative) {
      const definition = schemes[scheme]
      if (definition?.type !== "apiKey") continue
      names[definition.in].add(
        definition.in === "header" ? definition.parameterName.toLowerCase() : definition.parameterName
      )
    }
  }
  return { ...names, none: names.header.size + names.query.size + names.cookie.size === 0 }
}

const decodedName = (pair: string): string => {
  const name = pair.split("=", 1)[0] ?? ""
  try {
    return decodeURIComponent(name.replace(/\+/g, " "))
  } catch {
    return name
  }
}

/**
 * Removes values that a spec declares both as a parameter and as an apiKey credential, so that the
 * credential is sent once (or, in `none` mode, not at all) instead of beside a generated value.
 */
const withoutCredentialParameters = (
  request: EncodedRequest,
  operation: Operation,
  schemes: Readonly<Record<string, SecurityScheme>>
): EncodedRequest => {
  const names = credentialParameters(operation, schemes)
  if (names.none) return request
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => !names.header.has(name))
  )
  const cookie = headers.cookie
  if (cookie !== undefined && names.cookie.size > 0) {
    const kept = cookie.split(/;\s*/).filter((pair) => !names.cookie.has(pair.split("=", 1)[0] ?? ""))
    if (kept.length === 0) delete headers.cookie
    else headers.cookie = kept.join("; ")
  }
  const queryStart = request.url.indexOf("?")
  if (queryStart < 0 || names.query.size === 0) return { ...request, headers }
  const pairs = request.url
    .slice(queryStart + 1)
    .split("&")
    .filter((pair) => pair !== "" && !names.query.has(decodedName(pair)))
  const base = request.url.slice(0, queryStart)
  return { ...request, headers, url: pairs.length === 0 ? base : `${base}?${pairs.join("&")}` }
}

/**
 * Applies credentials to an encoded request. In `default` mode the first alternative of the
 * operation's `security` whose schemes all have credentials is used; when none has, no scheme
 * credentials are sent. `none` sends none; `invalid` sends wrong values for the first alternative
 * that can be sent. Fails when a credential cannot go into a header (CR, LF, non-Latin-1).
 */
export const applyCredentials = (
  request: EncodedRequest,
  operation: Operation,
  options: AuthOptions
): Either.Either<AuthorizedRequest, EncodingError> => {
  const applied: Applied = { headers: {}, query: [], cookies: [], secrets: [] }
  const headers = applyHeaders(operation, options, applied)
  if (Either.isLeft(headers)) return Either.left(headers.left)
  const alternative = options.mode === "none" ? undefined : pickAlternative(operation.security, options)
  for (const { scheme } of alternative ?? []) {
    const definition = options.securitySchemes[scheme]
    if (definition === undefined) continue
    const result = applyScheme(scheme, definition, options, applied)
    if (Either.isLeft(result)) return Either.left(result.left)
  }
  return Either.right({
    request: merge(withoutCredentialParameters(request, operation, options.securitySchemes), applied),
    secrets: applied.secrets.filter((secret) => secret !== ""),
    schemes: (alternative ?? []).map(({ scheme }) => scheme)
  })
}
