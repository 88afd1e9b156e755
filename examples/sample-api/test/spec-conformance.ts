/**
 * Test helper: loads openapi.yaml and judges one response against it, the way QAWave's checks do
 * (declared status, JSON content type, body schema, required headers).
 *
 * The sample API has no dependencies, so `yaml`, `ajv`, `ajv-formats` and `@readme/openapi-parser`
 * are loaded from packages/core, which depends on them.
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"

// The test tools are this example's development dependencies; they are CommonJS packages.
const requireTool = createRequire(import.meta.url)
const { parse } = requireTool("yaml") as { parse(text: string): unknown }

interface ValidateFunction {
  (data: unknown): boolean
  errors?: ReadonlyArray<{ readonly instancePath: string; readonly message?: string }> | null
}
interface AjvInstance {
  compile(schema: object): ValidateFunction
}
const Ajv2020 = (requireTool("ajv/dist/2020") as { default: new (options: object) => AjvInstance }).default
const addFormats = (requireTool("ajv-formats") as { default: (ajv: AjvInstance) => void }).default

const openapiParser = requireTool("@readme/openapi-parser") as {
  validate(path: string): Promise<{ readonly valid: boolean; readonly warnings: ReadonlyArray<unknown> }>
}

/** Path of openapi.yaml on disk. */
export const specPath = new URL("../openapi.yaml", import.meta.url).pathname

/** Validates openapi.yaml against the OpenAPI schema of its version, with @readme/openapi-parser. */
export const validateSpecFile = (): Promise<{
  readonly valid: boolean
  readonly warnings: ReadonlyArray<unknown>
}> => openapiParser.validate(specPath)

type Json = { readonly [key: string]: unknown }

const isJsonObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The parsed openapi.yaml. */
export const specDocument = parse(readFileSync(specPath, "utf8")) as Json

/** Follows a local `$ref` (`#/components/...`) once, or returns the value unchanged. */
export const deref = (value: unknown): Json => {
  if (!isJsonObject(value)) throw new Error(`expected an object in the spec, got ${JSON.stringify(value)}`)
  const ref = value.$ref
  if (typeof ref !== "string") return value
  let target: unknown = specDocument
  for (const key of ref.replace(/^#\//, "").split("/"))
    target = isJsonObject(target) ? target[key] : undefined
  return deref(target)
}

/** Operations of the spec by operationId, with their method and path template. */
export const operations: ReadonlyMap<string, { method: string; path: string; operation: Json }> = (() => {
  const found = new Map<string, { method: string; path: string; operation: Json }>()
  for (const [path, item] of Object.entries(specDocument.paths as Json)) {
    for (const [method, operation] of Object.entries(item as Json)) {
      if (method === "parameters" || !isJsonObject(operation)) continue
      found.set(String(operation.operationId), { method, path, operation })
    }
  }
  return found
})()

/** Parameters of an operation (path-level ones included, operation-level ones winning), dereferenced. */
export const operationParameters = (operationId: string): ReadonlyArray<Json> => {
  const entry = operations.get(operationId)
  if (entry === undefined) throw new Error(`no operation ${operationId} in the spec`)
  const pathItem = (specDocument.paths as Json)[entry.path] as Json
  const own = ((entry.operation.parameters as ReadonlyArray<unknown> | undefined) ?? []).map(deref)
  const inherited = ((pathItem.parameters as ReadonlyArray<unknown> | undefined) ?? [])
    .map(deref)
    .filter((parameter) => !own.some((o) => o.name === parameter.name && o.in === parameter.in))
  return [...inherited, ...own]
}

/** Copies a schema for responses: writeOnly properties leave `required`, and `discriminator` is dropped. */
const responseView = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(responseView)
  if (!isJsonObject(schema)) return schema
  const copy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key !== "discriminator") copy[key] = responseView(value)
  }
  const properties = schema.properties
  if (Array.isArray(schema.required) && isJsonObject(properties)) {
    copy.required = schema.required.filter((name) => {
      const property = properties[name]
      return !(isJsonObject(property) && deref(property).writeOnly === true)
    })
  }
  return copy
}

const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)

/** Points `#/components/schemas/X` at `#/$defs/X`, since Ajv resolves pointers only through schema keywords. */
const rewriteRefs = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(rewriteRefs)
  if (!isJsonObject(schema)) return schema
  const copy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) {
    copy[key] =
      key === "$ref" && typeof value === "string"
        ? value.replace("#/components/schemas/", "#/$defs/")
        : rewriteRefs(value)
  }
  return copy
}

const componentSchemas = rewriteRefs(responseView((specDocument.components as Json).schemas))
const schemaValidators = new Map<string, ValidateFunction>()

const validatorFor = (schema: Json): ValidateFunction => {
  const key = JSON.stringify(schema)
  const cached = schemaValidators.get(key)
  if (cached !== undefined) return cached
  const compiled = ajv.compile({ ...(rewriteRefs(responseView(schema)) as Json), $defs: componentSchemas })
  schemaValidators.set(key, compiled)
  return compiled
}

/** A response as the tests read it. */
export interface Received {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

/**
 * Judges a response against the operation's declared responses; returns one line per problem, an
 * empty list when the response conforms.
 */
export const conformanceProblems = (operationId: string, received: Received): Array<string> => {
  const entry = operations.get(operationId)
  if (entry === undefined) throw new Error(`no operation ${operationId} in the spec`)
  const responses = entry.operation.responses as Json
  const declared = responses[String(received.status)] ?? responses.default
  if (declared === undefined) return [`status ${received.status} is not declared`]

  const problems: Array<string> = []
  const response = deref(declared)
  for (const [name, header] of Object.entries((response.headers as Json | undefined) ?? {})) {
    const value = received.headers.get(name)
    if (deref(header).required === true && value === null) problems.push(`header ${name} is missing`)
  }
  const content = response.content as Json | undefined
  if (content === undefined) {
    if (received.text.length > 0) problems.push("a body was sent where none is declared")
    return problems
  }
  const contentType = received.headers.get("content-type")?.split(";")[0]?.trim()
  if (contentType !== "application/json") {
    problems.push(`content type ${contentType} is not the declared application/json`)
    return problems
  }
  const validate = validatorFor(deref(content["application/json"]).schema as Json)
  if (!validate(JSON.parse(received.text))) {
    for (const error of validate.errors ?? []) problems.push(`body${error.instancePath}: ${error.message}`)
  }
  return problems
}
