/**
 * JSON Schema 2020-12 validation of model output, shared by the `openai` layer and the local model
 * server. Unlike `schema/Validator.ts`, it reports every error as one text and evicts compiled
 * schemas from its Ajv instance beyond a fixed number.
 */

import type { ValidateFunction } from "ajv/dist/2020.js"
import { makeAjv } from "../internal/ajv.js"

/** Result of checking one value: `ok`, or the ajv error text (`/items/0/name must be string`). */
export type ValidationResult = { readonly ok: true } | { readonly ok: false; readonly message: string }

/** Result of compiling a schema: a reusable check, or the reason ajv rejected the schema. */
export type CompiledSchema =
  | { readonly ok: true; readonly validate: (value: unknown) => ValidationResult }
  | { readonly ok: false; readonly message: string }

// The same configuration as the checks' validator, with `allErrors` so a caller can feed every
// problem back to the model.
const ajv = makeAjv({ allErrors: true })

/** Number of distinct schemas whose compiled validators are kept; the oldest is dropped beyond it. */
const maxCachedSchemas = 500

// ajv keeps every compiled schema in an internal map until `removeSchema`, so the cache below is
// bounded and evicts from ajv too. The key is the schema's JSON text, so equal schemas built as new
// objects on every call share one validator.
const compiledByText = new Map<string, { readonly compiled: CompiledSchema; readonly schema: object }>()
const compiledByObject = new WeakMap<object, CompiledSchema>()

/** Compiles `schema` into a function that validates one value; results are cached per schema. */
export const compileSchema = (schema: boolean | { readonly [keyword: string]: unknown }): CompiledSchema => {
  if (typeof schema === "boolean") {
    return {
      ok: true,
      validate: (_value) => (schema ? { ok: true } : { ok: false, message: "schema is false" })
    }
  }
  const byObject = compiledByObject.get(schema)
  if (byObject !== undefined) return byObject

  const text = JSON.stringify(schema)
  const cached = compiledByText.get(text)
  if (cached !== undefined) {
    compiledByText.delete(text)
    compiledByText.set(text, cached)
    compiledByObject.set(schema, cached.compiled)
    return cached.compiled
  }

  // ajv registers a schema's `$id` globally, so a copy without it keeps two schemas of one id apart.
  const { $id: _id, ...withoutId } = schema
  let result: CompiledSchema
  try {
    const validateFunction: ValidateFunction = ajv.compile(withoutId)
    result = { ok: true, validate: (value) => runValidation(validateFunction, value) }
  } catch (error) {
    result = { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
  compiledByText.set(text, { compiled: result, schema: withoutId })
  compiledByObject.set(schema, result)
  evictOldest()
  return result
}

const evictOldest = (): void => {
  while (compiledByText.size > maxCachedSchemas) {
    const oldest = compiledByText.entries().next().value
    if (oldest === undefined) return
    compiledByText.delete(oldest[0])
    ajv.removeSchema(oldest[1].schema)
  }
}

const runValidation = (validateFunction: ValidateFunction, value: unknown): ValidationResult => {
  if (validateFunction(value)) return { ok: true }
  const message = ajv.errorsText(validateFunction.errors, { dataVar: "", separator: "; " })
  return { ok: false, message }
}
