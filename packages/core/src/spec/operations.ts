import { readRequestBody, readResponses, swaggerBody, swaggerFormBody } from "./content.js"
import { isComponentPointer, type OperationContext } from "./context.js"
import { DocumentFault } from "./fault.js"
import { type ComputeFingerprint, withLazyFingerprint } from "./fingerprint.js"
import {
  type HttpMethod,
  httpMethods,
  type Operation,
  type Parameter,
  type RequestBody,
  type Response,
  type SecurityRequirement,
  type SecurityScheme,
  type SpecProblem,
  type SpecVersion
} from "./model.js"
import { mergeParameters, normalizeParameter, type RawParameter } from "./parameters.js"
import { childPointer, isObject, type JsonObject } from "./pointer.js"
import type { SchemaConverter } from "./schema.js"
import { readSecurity } from "./security.js"
import { resolveServers, type ServerContext, swaggerServers } from "./servers.js"

/** One method of one path item, found before normalization. */
export interface OperationEntry {
  readonly id: string
  readonly method: HttpMethod
  readonly path: string
  readonly pointer: string
  readonly operation: unknown
  readonly pathItem: JsonObject
  readonly pathItemPointer: string
  /** Whether the path item is a referenced component, whose inline values are shared (see `OperationContext`). */
  readonly inlineUnderComponent: boolean
  readonly problems: Array<SpecProblem>
}

/** A normalized operation, plus the definitions it references directly. */
export interface DraftOperation {
  readonly operation: Operation
  readonly references: ReadonlySet<string>
}

/** Lists every operation of `paths` and gives each a unique id. */
export const listOperations = (
  paths: JsonObject,
  converter: SchemaConverter,
  documentProblems: Array<SpecProblem>
): Array<OperationEntry> => {
  const entries: Array<OperationEntry> = []
  const usedIds = new Set<string>()
  for (const path in paths) {
    if (path.startsWith("x-")) continue
    const at = childPointer("/paths", path)
    let pathItem: unknown
    let pathItemPointer = at
    try {
      const resolved = converter.resolveRefs(paths[path], at)
      pathItem = resolved.value
      pathItemPointer = resolved.pointer
    } catch (error) {
      if (!(error instanceof DocumentFault)) throw error
      documentProblems.push({
        code: error.code,
        severity: "error",
        pointer: error.pointer,
        message: error.message
      })
      continue
    }
    if (!isObject(pathItem)) {
      documentProblems.push({
        code: "invalid-path-item",
        severity: "error",
        pointer: at,
        message: `The path item at ${at} must be an object; its operations are skipped`
      })
      continue
    }
    const inlineUnderComponent = isComponentPointer(`${pathItemPointer}/`)
    for (const method of httpMethods) {
      const operation = pathItem[method]
      if (operation === undefined) continue
      const problems: Array<SpecProblem> = []
      const declared =
        isObject(operation) && typeof operation.operationId === "string" && operation.operationId !== ""
          ? operation.operationId
          : undefined
      const base = declared ?? generatedId(method, path)
      let id = base
      for (let n = 2; usedIds.has(id); n++) id = `${base}_${n}`
      usedIds.add(id)
      const pointer = childPointer(pathItemPointer, method)
      if (id !== base && declared !== undefined) {
        problems.push({
          code: "duplicate-operation-id",
          severity: "warning",
          pointer: childPointer(pointer, "operationId"),
          message: `operationId "${base}" is used more than once; this operation gets the id "${id}"`,
          operationId: id
        })
      }
      entries.push({
        id,
        method,
        path,
        pointer,
        operation,
        pathItem,
        pathItemPointer,
        inlineUnderComponent,
        problems
      })
    }
  }
  return entries
}

/** `get` + `/pets/{petId}` gives `get_pets_petId`. */
export const generatedId = (method: string, path: string): string => {
  const tail = path.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "")
  return `${method}_${tail === "" ? "root" : tail}`
}

/** Document-wide values every operation inherits. */
export interface OperationDefaults {
  readonly document: JsonObject
  readonly version: SpecVersion
  readonly converter: SchemaConverter
  readonly servers: ReadonlyArray<string>
  readonly serverContext: ServerContext
  readonly securitySchemes: Readonly<Record<string, SecurityScheme>>
  readonly security: ReadonlyArray<SecurityRequirement>
  readonly consumes: ReadonlyArray<string>
  readonly produces: ReadonlyArray<string>
  readonly linkTargets: OperationContext["linkTargets"]
  readonly memo: OperationContext["memo"]
  /** Computes the fingerprint of a normalized operation; called on the first read of `fingerprint`. */
  readonly fingerprint: ComputeFingerprint
}

/** Swagger 2.0 `consumes` / `produces`: the strings of `value`, or `fallback` when there are none. */
export const mediaList = (value: unknown, fallback: ReadonlyArray<string>): ReadonlyArray<string> => {
  const list = Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []
  return list.length > 0 ? list : fallback
}

/**
 * Normalizes one operation. A broken part never escapes: it becomes an error-level problem on this
 * operation, which keeps its id, method and path so that reports can name it.
 */
export const normalizeOperation = (defaults: OperationDefaults, entry: OperationEntry): DraftOperation => {
  const references = new Set<string>()
  const problems = entry.problems
  const operation = isObject(entry.operation) ? entry.operation : {}
  let parts: NormalizedParts
  try {
    if (!isObject(entry.operation))
      throw new DocumentFault(
        "invalid-operation",
        entry.pointer,
        `The operation at ${entry.pointer} must be an object`
      )
    const context: OperationContext = {
      document: defaults.document,
      version: defaults.version,
      converter: defaults.converter,
      references,
      problems,
      consumes: mediaList(operation.consumes, defaults.consumes),
      produces: mediaList(operation.produces, defaults.produces),
      linkTargets: defaults.linkTargets,
      memo: defaults.memo,
      inlineUnderComponent: entry.inlineUnderComponent
    }
    const body = readBodyAndParameters(context, entry, operation)
    const servers = operationServers(defaults, entry, operation)
    const security =
      (Array.isArray(operation.security)
        ? readSecurity(
            operation.security,
            childPointer(entry.pointer, "security"),
            defaults.securitySchemes,
            problems
          )
        : undefined) ?? defaults.security
    const responses = readResponses(context, operation.responses, childPointer(entry.pointer, "responses"))
    parts = {
      servers,
      parameters: body.parameters,
      responses,
      security,
      problems: tagProblems(problems, entry.id),
      requestBody: body.requestBody
    }
  } catch (error) {
    const problem: SpecProblem =
      error instanceof DocumentFault
        ? {
            code: error.code,
            severity: "error",
            pointer: error.pointer,
            message: error.message,
            operationId: entry.id
          }
        : {
            code: "internal-error",
            severity: "error",
            pointer: entry.pointer,
            message: `Normalizing the operation at ${entry.pointer} failed unexpectedly: ${String(error)}`,
            operationId: entry.id
          }
    parts = {
      servers: defaults.servers,
      parameters: [],
      responses: [],
      security: defaults.security,
      problems: [...tagProblems(problems, entry.id), problem],
      requestBody: undefined
    }
  }
  return { operation: assembleOperation(defaults, entry, operation, parts, references), references }
}

/** The fields of an operation that depend on normalizing its parts, which may have failed. */
interface NormalizedParts {
  readonly servers: ReadonlyArray<string>
  readonly parameters: ReadonlyArray<Parameter>
  readonly responses: ReadonlyArray<Response>
  readonly security: ReadonlyArray<SecurityRequirement>
  readonly problems: ReadonlyArray<SpecProblem>
  readonly requestBody: RequestBody | undefined
}

/** Builds the operation object with its fields in a fixed order, `fingerprint` last. */
const assembleOperation = (
  defaults: OperationDefaults,
  entry: OperationEntry,
  operation: JsonObject,
  parts: NormalizedParts,
  references: ReadonlySet<string>
): Operation => {
  const out: { -readonly [K in keyof Operation]?: Operation[K] } = {
    id: entry.id,
    method: entry.method,
    path: entry.path,
    tags: Array.isArray(operation.tags)
      ? operation.tags.filter((tag): tag is string => typeof tag === "string")
      : [],
    deprecated: operation.deprecated === true,
    pointer: entry.pointer
  }
  if (typeof operation.summary === "string") out.summary = operation.summary
  if (typeof operation.description === "string") out.description = operation.description
  out.servers = parts.servers
  out.parameters = parts.parameters
  out.responses = parts.responses
  out.security = parts.security
  out.problems = parts.problems
  if (parts.requestBody !== undefined) out.requestBody = parts.requestBody
  // Every required field is set above; only the optional ones may be missing.
  return withLazyFingerprint(out as Omit<Operation, "fingerprint">, references, defaults.fingerprint)
}

const noProblems: ReadonlyArray<SpecProblem> = Object.freeze([])

const tagProblems = (
  problems: ReadonlyArray<SpecProblem>,
  operationId: string
): ReadonlyArray<SpecProblem> =>
  problems.length === 0
    ? noProblems
    : problems.map((problem) => (problem.operationId === undefined ? { ...problem, operationId } : problem))

const readBodyAndParameters = (
  context: OperationContext,
  entry: OperationEntry,
  operation: JsonObject
): { parameters: Array<Parameter>; requestBody: Operation["requestBody"] } => {
  const raw = mergeParameters(
    context,
    [entry.pathItem.parameters, operation.parameters],
    [entry.pathItemPointer, entry.pointer]
  )
  const plain: Array<RawParameter> = []
  const form: Array<RawParameter> = []
  let bodyParameter: RawParameter | undefined
  for (const parameter of raw) {
    if (context.version === "2.0" && parameter.value.in === "body") bodyParameter = parameter
    else if (context.version === "2.0" && parameter.value.in === "formData") form.push(parameter)
    else plain.push(parameter)
  }
  checkPathTemplate(entry, plain)
  const parameters = plain.map((parameter) => normalizeParameter(context, parameter))
  let requestBody: Operation["requestBody"]
  if (context.version !== "2.0") {
    if (operation.requestBody !== undefined)
      requestBody = readRequestBody(
        context,
        operation.requestBody,
        childPointer(entry.pointer, "requestBody")
      )
  } else if (bodyParameter !== undefined) requestBody = swaggerBody(context, bodyParameter)
  else if (form.length > 0) requestBody = swaggerFormBody(context, form)
  return { parameters, requestBody }
}

/** Checks that every `{name}` of the path template has a path parameter, and every path parameter a `{name}`. */
const checkPathTemplate = (entry: OperationEntry, parameters: ReadonlyArray<RawParameter>): void => {
  const inTemplate = templateNames(entry.path)
  const declared = new Set<string>()
  for (const parameter of parameters)
    if (parameter.value.in === "path") declared.add(parameter.value.name as string)
  for (const name of inTemplate) {
    if (!declared.has(name)) {
      throw new DocumentFault(
        "undeclared-path-parameter",
        entry.pointer,
        `The path ${entry.path} has the template parameter {${name}}, but the operation at ${entry.pointer} declares no path parameter "${name}"; add it to "parameters"`
      )
    }
  }
  for (const parameter of parameters) {
    if (parameter.value.in === "path" && !inTemplate.has(parameter.value.name as string)) {
      throw new DocumentFault(
        "unknown-path-parameter",
        parameter.pointer,
        `The path parameter "${String(parameter.value.name)}" at ${parameter.pointer} does not occur in the path ${entry.path}; remove it or fix the template`
      )
    }
  }
}

/** Names of the `{name}` template expressions of a path, as `/\{([^}]+)\}/g` would match them. */
const templateNames = (path: string): Set<string> => {
  const names = new Set<string>()
  let from = 0
  for (let open = path.indexOf("{"); open >= 0; open = path.indexOf("{", from)) {
    const close = path.indexOf("}", open + 1)
    if (close < 0) break
    if (close > open + 1) names.add(path.slice(open + 1, close))
    from = close + 1
  }
  return names
}

const operationServers = (
  defaults: OperationDefaults,
  entry: OperationEntry,
  operation: JsonObject
): ReadonlyArray<string> => {
  if (defaults.version === "2.0") {
    return operation.schemes === undefined
      ? defaults.servers
      : swaggerServers(defaults.document, operation.schemes, defaults.serverContext)
  }
  return (
    resolveServers(operation.servers, childPointer(entry.pointer, "servers"), defaults.serverContext) ??
    resolveServers(
      entry.pathItem.servers,
      childPointer(entry.pathItemPointer, "servers"),
      defaults.serverContext
    ) ??
    defaults.servers
  )
}
