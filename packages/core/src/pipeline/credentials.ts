/**
 * Matches the configured credentials to the spec's security schemes before anything is sent, so a
 * misspelt scheme name fails the run with a clear error instead of sending requests without
 * credentials, and reports the secured operations that no credential covers.
 */
import type { Redacted } from "effect"
import type { Credentials } from "../execute/auth.js"
import type { ApiSpec, Operation } from "../spec/model.js"
import { RunError } from "./RunError.js"

/**
 * Renames `apiKeys` entries to the scheme names of the spec, matching case-insensitively (environment
 * variable names are often upper-cased). Fails on a name no scheme has, listing the schemes.
 */
export const resolveCredentials = (spec: ApiSpec, credentials: Credentials): Credentials | RunError => {
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
      return definition.scheme === "basic"
        ? credentials.basic !== undefined
        : credentials.bearer !== undefined
    case "oauth2":
    case "openIdConnect":
      return credentials.bearer !== undefined
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
