/**
 * Matches the configured credentials to the spec's security schemes before anything is sent, so a
 * misspelt scheme name fails the run with a clear error instead of sending requests without
 * credentials, and reports the secured operations that no credential covers.
 */
import { Redacted } from "effect"
import type { Credentials } from "../execute/auth.js"
import type { ApiSpec, Operation } from "../spec/model.js"
import type { RunCredentials } from "./RunConfig.js"
import { RunError } from "./RunError.js"

const redact = (value: unknown): Redacted.Redacted<string> =>
  Redacted.isRedacted(value) ? (value as Redacted.Redacted<string>) : Redacted.make(String(value))

/** Wraps secrets given as plain strings in `Redacted`, so that no later step can print them. */
const redactPlainSecrets = (credentials: RunCredentials): Credentials => {
  const { apiKeys, bearer, basic, ...rest } = credentials
  return {
    ...rest,
    ...(bearer === undefined ? {} : { bearer: redact(bearer) }),
    ...(basic === undefined ? {} : { basic: { username: basic.username, password: redact(basic.password) } }),
    ...(apiKeys === undefined
      ? {}
      : {
          apiKeys: Object.fromEntries(Object.entries(apiKeys).map(([name, value]) => [name, redact(value)]))
        })
  }
}

/**
 * Renames `apiKeys` entries to the scheme names of the spec, matching case-insensitively (environment
 * variable names are often upper-cased). Fails on a name no scheme has, listing the schemes.
 */
export const resolveCredentials = (spec: ApiSpec, input: RunCredentials): Credentials | RunError => {
  const credentials = redactPlainSecrets(input)
  const given = credentials.apiKeys
  if (given === undefined) return credentials
  const schemes = Object.keys(spec.securitySchemes)
  const apiKeys: Record<string, Redacted.Redacted<string>> = {}
  for (const [name, value] of Object.entries(given)) {
    const scheme = schemes.includes(name)
      ? name
      : schemes.find((item) => item.toLowerCase() === name.toLowerCase())
    if (scheme === undefined) {
      const known = schemes.length === 0 ? "it defines none" : `it defines ${schemes.join(", ")}`
      return new RunError({
        reason: "InvalidConfig",
        message: `a credential is given for the security scheme "${name}", but the spec has no such scheme (${known}); use one of those names`
      })
    }
    apiKeys[scheme] = value
  }
  return { ...credentials, apiKeys }
}

const hasAuthorizationHeader = (credentials: Credentials): boolean =>
  Object.keys(credentials.headers ?? {}).some((name) => name.toLowerCase() === "authorization")

/** Whether any credential is configured at all, as a scheme value or as a header that carries one. */
export const hasAnyCredential = (spec: ApiSpec, credentials: Credentials): boolean =>
  credentials.bearer !== undefined ||
  credentials.basic !== undefined ||
  Object.keys(credentials.apiKeys ?? {}).length > 0 ||
  Object.keys(credentials.headers ?? {}).some((name) => credentialHeaderNames(spec).has(name.toLowerCase()))

/** Header names that carry credentials for some scheme of the spec, lowercase. */
const credentialHeaderNames = (spec: ApiSpec): Set<string> => {
  const names = new Set(["authorization", "proxy-authorization", "cookie"])
  for (const scheme of Object.values(spec.securitySchemes)) {
    if (scheme.type === "apiKey" && scheme.in === "header") names.add(scheme.parameterName.toLowerCase())
  }
  return names
}

/**
 * Marks the headers sent with every request that carry credentials for some scheme of the spec as
 * `Redacted`, so that they are masked on every operation, not only on those that use the scheme.
 */
export const redactCredentialHeaders = (
  spec: ApiSpec,
  headers: Readonly<Record<string, string | Redacted.Redacted<string>>> = {}
): Record<string, string | Redacted.Redacted<string>> => {
  const names = credentialHeaderNames(spec)
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      names.has(name.toLowerCase()) ? redact(value) : value
    ])
  )
}

const hasCredential = (spec: ApiSpec, scheme: string, credentials: Credentials): boolean => {
  const definition = spec.securitySchemes[scheme]
  if (definition === undefined) return false
  if (credentials.apiKeys?.[scheme] !== undefined) return true
  switch (definition.type) {
    case "apiKey":
      return Object.keys(credentials.headers ?? {}).some(
        (name) => definition.in === "header" && name.toLowerCase() === definition.parameterName.toLowerCase()
      )
    case "http":
      if (hasAuthorizationHeader(credentials)) return true
      return definition.scheme === "basic"
        ? credentials.basic !== undefined
        : credentials.bearer !== undefined
    case "oauth2":
    case "openIdConnect":
      return credentials.bearer !== undefined || hasAuthorizationHeader(credentials)
    case "mutualTLS":
      return false
  }
}

/** Secured operations for which no alternative of their `security` has every credential it needs. */
export const operationsWithoutCredentials = (
  spec: ApiSpec,
  operations: ReadonlyArray<Operation>,
  credentials: Credentials
): ReadonlyArray<{ readonly operation: Operation; readonly schemes: ReadonlyArray<string> }> =>
  operations.flatMap((operation) => {
    if (
      operation.security.length === 0 ||
      operation.security.some((alternative) => alternative.length === 0)
    ) {
      return []
    }
    const covered = operation.security.some((alternative) =>
      alternative.every(({ scheme }) => hasCredential(spec, scheme, credentials))
    )
    if (covered) return []
    const schemes = [
      ...new Set(operation.security.flatMap((alternative) => alternative.map(({ scheme }) => scheme)))
    ]
    return [{ operation, schemes }]
  })

// C0 controls (except tab) and DEL. A secret that contains one, most often a line break at the end of
// a secret file saved with Windows line endings, would break the header or change the value on the wire.
const describeControl = (text: string): string | undefined => {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if ((code >= 0x20 && code !== 0x7f) || code === 0x09) continue
    let name = ""
    if (code === 0x0d) name = " (a carriage return)"
    if (code === 0x0a) name = " (a line feed)"
    return `the control character U+${code.toString(16).toUpperCase().padStart(4, "0")}${name}`
  }
  return undefined
}

/**
 * Checks, before anything is sent, that no secret or extra header contains a control character. Returns
 * the error, which names the credential but never its value.
 */
export const checkSendable = (
  credentials: Credentials,
  headers: Readonly<Record<string, string | Redacted.Redacted<string>>> = {}
): RunError | undefined => {
  const checked: Array<readonly [string, string]> = []
  if (credentials.bearer !== undefined) checked.push(["the bearer token", Redacted.value(credentials.bearer)])
  if (credentials.basic !== undefined) {
    checked.push(["the basic auth user name", credentials.basic.username])
    checked.push(["the basic auth password", Redacted.value(credentials.basic.password)])
  }
  for (const [scheme, value] of Object.entries(credentials.apiKeys ?? {}))
    checked.push([`the API key for scheme "${scheme}"`, Redacted.value(value)])
  for (const [name, value] of Object.entries(headers))
    checked.push([
      `the value of header "${name}"`,
      Redacted.isRedacted(value) ? Redacted.value(value) : value
    ])
  for (const [what, value] of checked) {
    const problem = describeControl(value)
    if (problem === undefined) continue
    return new RunError({
      reason: "InvalidConfig",
      message: `${what} contains ${problem}; remove it (a secret file saved with Windows line endings often ends with one)`
    })
  }
  return undefined
}
