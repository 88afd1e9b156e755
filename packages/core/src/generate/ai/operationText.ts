/**
 * One operation as the generation prompts show it: a few lines of text, with its schemas in the
 * notation of `schemaText.ts`. For example:
 *
 * ```text
 * POST /pets
 * operationId: createPet
 * summary: Create a pet
 * security: bearerAuth (http bearer)
 * header X-Request-Id?: string // Echoed back in the response.
 * body: {
 *  name: string minLength=1 maxLength=40 // Unique within a store.
 *  tag?: string
 * } e.g. {"name":"Rex"}
 * responses:
 * 201: {id: integer minimum=1; name: string; tag?: string}
 * 422 Invalid pet
 * ```
 *
 * Lines inside a schema are indented or start with `}`, so an unindented line that starts with a
 * status code is a response. The model server's built-in model relies on that, and on the first two
 * lines, to read the method, path, id, summary and statuses back.
 */
import { STATUS_CODES } from "node:http"
import type { ApiSpec, JsonSchema, Operation, Parameter, Response } from "../../spec/model.js"
import { schemaNotation } from "./schemaText.js"
import { compactSchema, maxExamples, responseSchema, shortText } from "./schemaView.js"

/**
 * Depths of inlined references in one prompt: `request` for parameters and the request body,
 * `response` for success response bodies, which then are left out entirely when it is `undefined`.
 */
export interface Depths {
  readonly request: number
  readonly response: number | undefined
}

type SchemaView = (schema: JsonSchema) => unknown

/** Writes a type, then its notes, then a description after `//`. */
const annotated = (text: string, notes: ReadonlyArray<string>, comment: string | undefined): string => {
  const typed = [text, ...notes].join(" ")
  return comment === undefined ? typed : `${typed} // ${comment}`
}

const examplesNote = (examples: ReadonlyArray<unknown>): ReadonlyArray<string> =>
  examples.length === 0
    ? []
    : [
        `e.g. ${examples
          .slice(0, maxExamples)
          .map((value) => JSON.stringify(value))
          .join(", ")}`
      ]

/**
 * Maximum length of a parameter's description in a prompt, in characters. It is shorter than
 * `maxDescriptionLength` (300), which applies to the operation and to schema properties, because
 * parameters are many per operation and state their rule, if any, early.
 */
export const maxParameterDescriptionLength = 160

/** Joins the descriptions that are present, each once, and shortens the result to `maxLength`. */
const descriptions = (texts: ReadonlyArray<string | undefined>, maxLength?: number): string | undefined => {
  const present = texts.filter((text): text is string => text !== undefined && text !== "")
  const joined = [...new Set(present)].join(" ")
  const short = shortText(joined, maxLength)
  return short === "" ? undefined : short
}

/** Lowercase words of `text`, each without a final `s`, so `Gets` and `get` match. */
const wordStems = (text: string): ReadonlyArray<string> =>
  (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map((word) => word.replace(/s$/, ""))

/** Checks whether every word of `summary` occurs in `description`, so the summary adds nothing. */
const repeatsWords = (summary: string, description: string): boolean => {
  const described = new Set(wordStems(description))
  return wordStems(summary).every((word) => described.has(word))
}

/** Returns `schema` without its top-level examples, which the caller writes with other examples. */
const withoutExamples = (schema: unknown): unknown => {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema
  const { examples: _examples, ...rest } = schema as Record<string, unknown>
  return rest
}

const parameterLine = (parameter: Parameter, view: SchemaView): string => {
  // `parameter.examples` already contains the schema's examples after the parameter's own.
  const schema = schemaNotation(withoutExamples(view(parameter.schema)))
  const optional = parameter.required ? "" : "?"
  const notes = [...(parameter.deprecated ? ["deprecated"] : []), ...examplesNote(parameter.examples)]
  const text = annotated(
    schema.text,
    notes,
    descriptions([parameter.description, schema.comment], maxParameterDescriptionLength)
  )
  return `${parameter.in} ${parameter.name}${optional}: ${text}`
}

/** Returns the examples of a schema's top level, which Swagger 2.0 bodies also list as their own. */
const topExamples = (schema: unknown): ReadonlyArray<unknown> => {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return []
  const examples = (schema as Record<string, unknown>).examples
  return Array.isArray(examples) ? examples : []
}

/** Returns each value once, compared as JSON. */
const distinctValues = (values: ReadonlyArray<unknown>): ReadonlyArray<unknown> => {
  const seen = new Set<string>()
  return values.filter((value) => {
    const key = JSON.stringify(value)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

const requestBodyLine = (operation: Operation, view: SchemaView): string | undefined => {
  const body = operation.requestBody
  const media = body?.content.find((item) => item.mediaType.includes("json")) ?? body?.content[0]
  if (body === undefined || media === undefined) return undefined
  // JSON is the usual body, so only other media types are named.
  const mediaType = media.mediaType === "application/json" ? "" : ` (${media.mediaType})`
  const label = `body${mediaType}${body.required ? "" : "?"}`
  const viewed = media.schema === undefined ? true : view(media.schema)
  // The body's own examples come first, then the schema's, each once.
  const examples = distinctValues([...media.examples, ...topExamples(viewed)])
  const schema = schemaNotation(withoutExamples(viewed))
  const text = annotated(
    schema.text,
    examplesNote(examples),
    descriptions([body.description, schema.comment])
  )
  return `${label}: ${text}`
}

const isSuccessStatus = (status: string): boolean => status.startsWith("2")

/** Words that a response description may add to its reason phrase without adding information. */
const fillerWords = new Set(["response", "resource", "error", "the", "a"])

/**
 * Checks whether a response description adds nothing to its status code. That is so when every word
 * of it is a word of the status's reason phrase or a filler word: `Response`, `Resource not found`.
 */
const isBareDescription = (response: Response): boolean => {
  const reasonPhrase = new Set(wordStems(STATUS_CODES[response.status] ?? ""))
  return wordStems(response.description).every((word) => reasonPhrase.has(word) || fillerWords.has(word))
}

const responseLine = (spec: ApiSpec, response: Response, responseDepth: number | undefined): string => {
  const description = isBareDescription(response) ? "" : ` ${shortText(response.description)}`
  const headers =
    response.headers.length === 0
      ? ""
      : ` (headers ${response.headers.map((header) => header.name).join(", ")})`
  const head = `${response.status}${description}${headers}`
  // Only success bodies are shown: assertions are written on those, and error bodies are judged by
  // the schema checks without the model.
  const json = response.content.find((item) => item.mediaType.includes("json"))
  if (responseDepth === undefined || !isSuccessStatus(response.status) || json?.schema === undefined)
    return head
  return `${head}: ${schemaNotation(responseSchema(spec.definitions, json.schema, responseDepth)).text}`
}

const securityLine = (spec: ApiSpec, operation: Operation): string => {
  const alternatives = operation.security.map((alternative) =>
    alternative
      .map(({ scheme, scopes }) => {
        const declared = spec.securitySchemes[scheme]
        const kind =
          declared === undefined
            ? "unknown"
            : declared.type === "http"
              ? `http ${declared.scheme}`
              : declared.type === "apiKey"
                ? `apiKey in ${declared.in} ${declared.parameterName}`
                : declared.type
        return scopes.length === 0
          ? `${scheme} (${kind})`
          : `${scheme} (${kind}, scopes ${scopes.join(", ")})`
      })
      .join(" and ")
  )
  return `security: ${alternatives.join(" or ")}`
}

/**
 * Describes `operation` as lines of text, with request schemas cut at `depths.request` and success
 * response schemas at `depths.response`.
 */
export const describeOperation = (spec: ApiSpec, operation: Operation, depths: Depths): string => {
  const requestView: SchemaView = (schema) => compactSchema(spec.definitions, schema, depths.request)
  const lines = [`${operation.method.toUpperCase()} ${operation.path}`, `operationId: ${operation.id}`]
  const summary = descriptions([operation.summary])
  const description = descriptions([operation.description])
  if (summary !== undefined && (description === undefined || !repeatsWords(summary, description)))
    lines.push(`summary: ${summary}`)
  // The description goes unlabelled after the summary, the one line of free text in the block.
  if (description !== undefined) lines.push(description)
  if (operation.deprecated) lines.push("deprecated")
  if (operation.security.length > 0) lines.push(securityLine(spec, operation))
  // Each parameter line starts with its location, so the lines need no heading.
  for (const parameter of operation.parameters) lines.push(parameterLine(parameter, requestView))
  const body = requestBodyLine(operation, requestView)
  if (body !== undefined) lines.push(body)
  lines.push("responses:")
  for (const response of operation.responses) lines.push(responseLine(spec, response, depths.response))
  return lines.join("\n")
}

/**
 * Lists operations by path, each path once with its methods, and writes `ownPath` (the path of the
 * operation the prompt is about) as `this path`: `GET, POST /pets; DELETE this path`, or
 * `PUT this path; GET this path/{id}` when the other paths extend it.
 */
export const operationsByPath = (operations: ReadonlyArray<Operation>, ownPath: string): string => {
  const methodsByPath = new Map<string, Array<string>>()
  for (const operation of operations) {
    const methods = methodsByPath.get(operation.path) ?? []
    methods.push(operation.method.toUpperCase())
    methodsByPath.set(operation.path, methods)
  }
  const relative = (path: string): string =>
    path === ownPath
      ? "this path"
      : path.startsWith(`${ownPath}/`)
        ? `this path${path.slice(ownPath.length)}`
        : path
  return [...methodsByPath].map(([path, methods]) => `${methods.join(", ")} ${relative(path)}`).join("; ")
}
