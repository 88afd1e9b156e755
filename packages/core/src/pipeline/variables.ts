/**
 * Values passed between the steps of a scenario: extracted from one response, bound into a later
 * request.
 */
import type { Exchange } from "../execute/Exchange.js"
import type { Binding, Extraction, StepRequest } from "../scenario/Scenario.js"

/** Reads a JSON pointer (RFC 6901) from a value; undefined when any segment is missing. */
export const readPointer = (value: unknown, pointer: string): unknown => {
  if (pointer === "") return value
  let current: unknown = value
  for (const raw of pointer.replace(/^\//, "").split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~")
    if (Array.isArray(current)) current = current[Number(segment)]
    else if (current !== null && typeof current === "object")
      current = (current as Record<string, unknown>)[segment]
    else return undefined
  }
  return current
}

const writePointer = (value: unknown, pointer: string, replacement: unknown): unknown => {
  if (pointer === "" || pointer === "/") return replacement
  const segments = pointer
    .replace(/^\//, "")
    .split("/")
    .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
  const root: unknown = structuredClone(value ?? {})
  let current = root as Record<string, unknown>
  for (const [index, segment] of segments.entries()) {
    if (index === segments.length - 1) {
      current[segment] = replacement
      break
    }
    const next = current[segment]
    if (next === null || typeof next !== "object") current[segment] = {}
    current = current[segment] as Record<string, unknown>
  }
  return root
}

/** Takes the values a step extracts from its exchange; a value that is absent is left out. */
export const extractVariables = (
  extractions: ReadonlyArray<Extraction>,
  exchange: Exchange,
  body: { readonly value: unknown } | undefined
): Record<string, unknown> => {
  const values: Record<string, unknown> = {}
  for (const extraction of extractions) {
    const value =
      extraction.from === "header"
        ? exchange.response?.headers[extraction.path.toLowerCase()]
        : body === undefined
          ? undefined
          : readPointer(body.value, extraction.path)
    if (value !== undefined) values[extraction.variable] = value
  }
  return values
}

/** The variables a step needs that no earlier step provided. */
export const missingVariables = (
  bindings: ReadonlyArray<Binding>,
  variables: Readonly<Record<string, unknown>>
): ReadonlyArray<string> =>
  bindings.filter((binding) => !(binding.variable in variables)).map((b) => b.variable)

/**
 * Reduces a URL or an absolute path, as a `Location` header gives it, to its last segment, which is
 * what a path parameter takes: `/notes/7f3a` binds `7f3a`. Other values are kept.
 */
const pathValue = (value: unknown): unknown => {
  if (typeof value !== "string" || !/^(https?:\/\/|\/)/i.test(value)) return value
  const path = value.replace(/^https?:\/\/[^/]*/i, "").split(/[?#]/, 1)[0] ?? ""
  const last = path
    .split("/")
    .filter((segment) => segment !== "")
    .pop()
  if (last === undefined) return value
  try {
    return decodeURIComponent(last)
  } catch {
    return last
  }
}

/** Puts bound variables into a copy of the request. */
export const applyBindings = (
  request: StepRequest,
  bindings: ReadonlyArray<Binding>,
  variables: Readonly<Record<string, unknown>>
): StepRequest => {
  let result = request
  for (const binding of bindings) {
    const value = variables[binding.variable]
    switch (binding.location) {
      case "path":
        result = { ...result, pathParams: { ...result.pathParams, [binding.target]: pathValue(value) } }
        break
      case "query":
        result = { ...result, query: { ...result.query, [binding.target]: value } }
        break
      case "header":
        result = { ...result, headers: { ...result.headers, [binding.target]: value } }
        break
      case "cookie":
        result = { ...result, cookies: { ...result.cookies, [binding.target]: value } }
        break
      case "body":
        result = {
          ...result,
          body: {
            mediaType: result.body?.mediaType ?? "application/json",
            value: writePointer(result.body?.value, binding.target, value)
          }
        }
        break
    }
  }
  return result
}
