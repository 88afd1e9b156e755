/** The `response_headers_conformance` check. */
import { formatIssues, validatorFor } from "../schema/Validator.js"
import type { ApiSpec, JsonSchema, ResponseHeader } from "../spec/model.js"
import type { Check } from "./Check.js"
import { failed, passed, skipped } from "./outcome.js"
import { isOutcome, judgeableResponse, matchResponse } from "./response.js"
import { resolveSchema, schemaTypes, toStandalone } from "./schema.js"

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

const coerceScalar = (text: string, types: ReadonlyArray<string>): unknown => {
  const trimmed = text.trim()
  for (const type of types) {
    if ((type === "integer" || type === "number") && numberPattern.test(trimmed)) return Number(trimmed)
    if (type === "boolean" && (trimmed === "true" || trimmed === "false")) return trimmed === "true"
    if (type === "null" && trimmed === "") return null
  }
  return text
}

/**
 * Turns a header's text into the value its schema describes: a number, an integer or a boolean when
 * the schema's `type` names one, and an array of such values for `type: array` (the `simple` style,
 * comma-separated). Text that does not convert stays a string, so validation reports it.
 */
export const coerceHeaderValue = (spec: ApiSpec, schema: JsonSchema, text: string): unknown => {
  const types = schemaTypes(spec, schema)
  if (types.includes("array")) {
    const resolved = resolveSchema(spec, schema)
    const items =
      typeof resolved === "object" && resolved.items !== undefined ? (resolved.items as JsonSchema) : true
    const itemTypes = schemaTypes(spec, items)
    return text.split(",").map((part) => coerceScalar(part.trim(), itemTypes))
  }
  return coerceScalar(text, types)
}

/** Returns the problem with one declared header, or undefined when it conforms. */
const headerProblem = (
  spec: ApiSpec,
  header: ResponseHeader,
  headers: Readonly<Record<string, string>>
): { readonly message: string; readonly signature: string } | undefined => {
  const name = header.name.toLowerCase()
  const text = headers[name]
  if (text === undefined) {
    return header.required
      ? { message: `required header ${name} is missing`, signature: `${name}: missing` }
      : undefined
  }
  const validator = validatorFor(toStandalone(spec, header.schema))
  // A header schema that does not compile is the spec's problem, reported when the spec is loaded.
  if (typeof validator !== "function") return undefined
  const issues = validator(coerceHeaderValue(spec, header.schema, text))
  const first = issues[0]
  if (first === undefined) return undefined
  return {
    message: `header ${name} is ${JSON.stringify(text)}: ${formatIssues(issues)}`,
    signature: `${name}: ${first.keyword}`
  }
}

/**
 * Fails a response that lacks a header its declared response marks required, or whose declared
 * header value does not match the header's schema. `Content-Type` is not judged here, because the
 * OpenAPI 3 Response Object states that a declared header of that name is ignored.
 */
export const responseHeadersConformance: Check = {
  name: "response_headers_conformance",
  judge: (input) => {
    const response = judgeableResponse(input)
    if (isOutcome(response)) return response
    const declared = matchResponse(input.operation, response.status)
    if (declared === undefined) return skipped(`status ${response.status} is not declared`)
    const headers = declared.headers.filter((header) => header.name.toLowerCase() !== "content-type")
    if (headers.length === 0) return skipped(`response ${declared.status} declares no headers`)

    const problems = headers.flatMap((header) => {
      const problem = headerProblem(input.spec, header, response.headers)
      return problem === undefined ? [] : [problem]
    })
    const first = problems[0]
    if (first === undefined) return passed()
    return failed(
      `Headers do not match response ${declared.status}: ${problems.map((problem) => problem.message).join("; ")}`,
      `the headers declared for ${declared.status}: ${headers
        .map((header) => `${header.name}${header.required ? " (required)" : ""}`)
        .join(", ")}`,
      first.signature
    )
  }
}
