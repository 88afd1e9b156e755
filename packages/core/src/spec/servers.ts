import type { SpecProblem } from "./model.js"
import { childPointer, isObject, type JsonObject } from "./pointer.js"

/** What server resolution needs to know about where the document came from. */
export interface ServerContext {
  /** The spec's URL when it was loaded from one; relative server URLs resolve against it. */
  readonly baseUrl: string | undefined
  readonly overrides: Readonly<Record<string, string>>
  readonly warnings: Array<SpecProblem>
}

/** Effective URLs of an OpenAPI 3 `servers` array, variables filled in; `undefined` when absent or empty. */
export const resolveServers = (
  servers: unknown,
  pointer: string,
  context: ServerContext
): ReadonlyArray<string> | undefined => {
  if (!Array.isArray(servers) || servers.length === 0) return undefined
  const urls: Array<string> = []
  servers.forEach((server, i) => {
    if (!isObject(server) || typeof server.url !== "string") return
    const url = fillVariables(server.url, server.variables, childPointer(pointer, i), context)
    urls.push(absolute(url, context.baseUrl))
  })
  return urls.length === 0 ? undefined : urls
}

const addVariables = (servers: unknown, defined: Set<string>): void => {
  if (!Array.isArray(servers)) return
  for (const server of servers)
    if (isObject(server) && isObject(server.variables))
      for (const name of Object.keys(server.variables)) defined.add(name)
}

/**
 * Warns about each override that no server of the document defines, at its root, on a path or on an
 * operation. Such a name is most likely misspelt, and it would otherwise change nothing without a word.
 */
export const checkOverrides = (document: JsonObject, context: ServerContext): void => {
  if (Object.keys(context.overrides).length === 0) return
  const defined = new Set<string>()
  addVariables(document.servers, defined)
  const paths = isObject(document.paths) ? document.paths : {}
  for (const pathItem of Object.values(paths)) {
    if (!isObject(pathItem)) continue
    addVariables(pathItem.servers, defined)
    for (const operation of Object.values(pathItem))
      if (isObject(operation)) addVariables(operation.servers, defined)
  }
  const known =
    defined.size === 0
      ? "the spec's servers define no variables"
      : `the spec's servers define ${[...defined].map((name) => `"${name}"`).join(", ")}`
  for (const name of Object.keys(context.overrides)) {
    if (defined.has(name)) continue
    context.warnings.push({
      code: "unknown-server-variable",
      severity: "warning",
      pointer: "/servers",
      message: `The server variable "${name}" given in serverVariables (--server-var on the command line) is not defined: ${known}; check its name`
    })
  }
}

const fillVariables = (
  template: string,
  variables: unknown,
  pointer: string,
  context: ServerContext
): string =>
  template.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = isObject(variables) ? variables[name] : undefined
    const declared: JsonObject = isObject(variable) ? variable : {}
    const override = context.overrides[name]
    const value = override ?? (declared.default === undefined ? undefined : String(declared.default))
    const at = childPointer(pointer, "variables", name)
    if (value === undefined) {
      context.warnings.push({
        code: "server-variable-missing",
        severity: "warning",
        pointer: at,
        message: `Server variable "${name}" has no default and no override; pass it in serverVariables (--server-var on the command line)`
      })
      return whole
    }
    if (
      Array.isArray(declared.enum) &&
      declared.enum.length > 0 &&
      !declared.enum.map(String).includes(value)
    ) {
      context.warnings.push({
        code: "server-variable-not-in-enum",
        severity: "warning",
        pointer: at,
        message: `Server variable "${name}" is "${value}", which is not one of its enum values ${declared.enum.map(String).join(", ")}`
      })
    }
    return value
  })

const absolute = (url: string, baseUrl: string | undefined): string => {
  if (baseUrl === undefined || /^[a-z][a-z0-9+.-]*:/i.test(url)) return url
  try {
    return new URL(url, baseUrl).href
  } catch {
    return url
  }
}

/** Swagger 2.0 servers from `schemes`, `host` and `basePath`. */
export const swaggerServers = (
  document: JsonObject,
  schemes: unknown,
  context: ServerContext
): ReadonlyArray<string> => {
  const base = context.baseUrl === undefined ? undefined : safeUrl(context.baseUrl)
  const host = typeof document.host === "string" ? document.host : base?.host
  const basePath = typeof document.basePath === "string" ? document.basePath : "/"
  if (host === undefined) return [absolute(basePath, context.baseUrl)]
  const list = Array.isArray(schemes)
    ? schemes.filter((item): item is string => typeof item === "string")
    : []
  const fallbackScheme = base === undefined ? "https" : base.protocol.replace(":", "")
  const effective = list.length > 0 ? list : [fallbackScheme]
  return effective.map(
    (scheme) => `${scheme.toLowerCase()}://${host}${basePath.startsWith("/") ? basePath : `/${basePath}`}`
  )
}

/** The server list when a document declares none: `/`, resolved against the spec's URL if it has one. */
export const defaultServers = (context: ServerContext): ReadonlyArray<string> => [
  absolute("/", context.baseUrl)
]

const safeUrl = (value: string): URL | undefined => {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}
