import type { SecurityRequirement, SecurityScheme, SpecProblem, SpecVersion } from "./model.js"
import { childPointer, isObject, type JsonObject } from "./pointer.js"
import type { SchemaConverter } from "./schema.js"

const swaggerFlowNames: Readonly<Record<string, string>> = {
  implicit: "implicit",
  password: "password",
  application: "clientCredentials",
  accessCode: "authorizationCode"
}

/** Security schemes of `components.securitySchemes` (3.x) or `securityDefinitions` (2.0), by name. */
export const readSecuritySchemes = (
  document: JsonObject,
  version: SpecVersion,
  converter: SchemaConverter,
  warnings: Array<SpecProblem>
): Record<string, SecurityScheme> => {
  const base = version === "2.0" ? "/securityDefinitions" : "/components/securitySchemes"
  const declared =
    version === "2.0"
      ? document.securityDefinitions
      : isObject(document.components)
        ? document.components.securitySchemes
        : undefined
  const schemes: Record<string, SecurityScheme> = {}
  if (!isObject(declared)) return schemes
  for (const name in declared) {
    const pointer = childPointer(base, name)
    let scheme: SecurityScheme | undefined
    try {
      const resolved = converter.resolveRefs(declared[name], pointer).value
      scheme = isObject(resolved) ? toScheme(name, resolved, version) : undefined
    } catch {
      scheme = undefined
    }
    if (scheme === undefined) {
      warnings.push({
        code: "invalid-security-scheme",
        severity: "warning",
        pointer,
        message: `The security scheme "${name}" at ${pointer} is incomplete or of an unknown type; operations that need it cannot be authenticated`
      })
    } else {
      schemes[name] = scheme
    }
  }
  return schemes
}

const toScheme = (name: string, scheme: JsonObject, version: SpecVersion): SecurityScheme | undefined => {
  switch (scheme.type) {
    case "apiKey": {
      const where = scheme.in
      if (typeof scheme.name !== "string" || (where !== "header" && where !== "query" && where !== "cookie"))
        return undefined
      return { type: "apiKey", name, in: where, parameterName: scheme.name }
    }
    case "basic":
      return { type: "http", name, scheme: "basic" }
    case "http": {
      if (typeof scheme.scheme !== "string") return undefined
      const out: SecurityScheme = { type: "http", name, scheme: scheme.scheme.toLowerCase() }
      return typeof scheme.bearerFormat === "string" ? { ...out, bearerFormat: scheme.bearerFormat } : out
    }
    case "oauth2":
      return {
        type: "oauth2",
        name,
        flows: version === "2.0" ? swaggerFlows(scheme) : isObject(scheme.flows) ? scheme.flows : {}
      }
    case "openIdConnect":
      return typeof scheme.openIdConnectUrl === "string"
        ? { type: "openIdConnect", name, openIdConnectUrl: scheme.openIdConnectUrl }
        : undefined
    case "mutualTLS":
      return { type: "mutualTLS", name }
    default:
      return undefined
  }
}

const swaggerFlows = (scheme: JsonObject): Record<string, unknown> => {
  const flow = typeof scheme.flow === "string" ? swaggerFlowNames[scheme.flow] : undefined
  if (flow === undefined) return {}
  const body: Record<string, unknown> = { scopes: isObject(scheme.scopes) ? scheme.scopes : {} }
  if (typeof scheme.authorizationUrl === "string") body.authorizationUrl = scheme.authorizationUrl
  if (typeof scheme.tokenUrl === "string") body.tokenUrl = scheme.tokenUrl
  return { [flow]: body }
}

/** OR-of-AND requirement sets from a `security` array; `undefined` when the value is no array. */
export const readSecurity = (
  security: unknown,
  pointer: string,
  schemes: Readonly<Record<string, SecurityScheme>>,
  problems: Array<SpecProblem>
): ReadonlyArray<SecurityRequirement> | undefined => {
  if (!Array.isArray(security)) return undefined
  const sets: Array<SecurityRequirement> = []
  security.forEach((requirement, i) => {
    if (!isObject(requirement)) return
    const set: Array<{ scheme: string; scopes: ReadonlyArray<string> }> = []
    for (const name in requirement) {
      if (schemes[name] === undefined) {
        problems.push({
          code: "unknown-security-scheme",
          severity: "warning",
          pointer: childPointer(pointer, i, name),
          message: `Security requirement names "${name}", which no security scheme declares`
        })
      }
      const scopes = requirement[name]
      set.push({
        scheme: name,
        scopes: Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === "string") : []
      })
    }
    sets.push(set)
  })
  return sets
}
