/**
 * One JSON Schema 2020-12 validator for the whole project: the checks judge responses with it and the
 * generators test their own values with it, so both agree on what "valid" means.
 */
import { makeAjv } from "../internal/ajv.js"
import type { JsonSchema } from "../spec/model.js"

/** One reason a value does not match its schema. */
export interface ValidationIssue {
  /** JSON pointer of the offending value inside the validated value (`""` for the root). */
  readonly path: string
  readonly message: string
  /** The schema keyword that failed, such as `type` or `required`. */
  readonly keyword: string
}

export type ValidateFunction = (value: unknown) => ReadonlyArray<ValidationIssue>

/** Thrown into a defect only by `compileSchema` callers that skip `tryCompile`: the schema itself is invalid. */
export interface CompileFailure {
  readonly _tag: "CompileFailure"
  readonly message: string
}

let ajv = makeAjv()
let compiledCount = 0
const cache = new WeakMap<object, ValidateFunction | CompileFailure>()
// Equal schemas in distinct objects, such as the same component reached from many operations, share
// one compiled validator. Keyed by JSON text; emptied with the Ajv instance that compiled them.
let byText = new Map<string, ValidateFunction | CompileFailure>()

// Ajv keeps every compiled schema alive; a long server process starts a fresh instance now and then.
const maxCompiledPerInstance = 5_000

const compile = (schema: object): ValidateFunction | CompileFailure => {
  const text = JSON.stringify(schema)
  const shared = byText.get(text)
  if (shared !== undefined) return shared
  if (compiledCount >= maxCompiledPerInstance) {
    ajv = makeAjv()
    compiledCount = 0
    byText = new Map()
  }
  compiledCount++
  const compiled = compileWithAjv(schema)
  byText.set(text, compiled)
  return compiled
}

const compileWithAjv = (schema: object): ValidateFunction | CompileFailure => {
  try {
    const validate = ajv.compile(schema)
    return (value) => {
      if (validate(value)) return []
      return (validate.errors ?? []).map((error) => ({
        path: error.instancePath,
        message: error.message ?? "is invalid",
        keyword: error.keyword
      }))
    }
  } catch (error) {
    return { _tag: "CompileFailure", message: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * Returns the validator of a standalone schema (one that carries its own `$defs`), compiling it once
 * per schema object, or a `CompileFailure` when the schema is not valid JSON Schema.
 */
export const validatorFor = (schema: JsonSchema): ValidateFunction | CompileFailure => {
  if (schema === true) return () => []
  if (schema === false) return () => [{ path: "", message: "no value is allowed here", keyword: "false" }]
  const cached = cache.get(schema)
  if (cached !== undefined) return cached
  const compiled = compile(schema)
  cache.set(schema, compiled)
  return compiled
}

/** Validates a value against a standalone schema; a schema that does not compile yields one issue. */
export const validate = (schema: JsonSchema, value: unknown): ReadonlyArray<ValidationIssue> => {
  const validator = validatorFor(schema)
  if (typeof validator === "function") return validator(value)
  return [{ path: "", message: `schema does not compile: ${validator.message}`, keyword: "$schema" }]
}

/** Formats a list of issues as one line, such as `/price: must be number; /name: must be string`. */
export const formatIssues = (issues: ReadonlyArray<ValidationIssue>): string =>
  issues.map((issue) => `${issue.path === "" ? "(root)" : issue.path}: ${issue.message}`).join("; ")
