/**
 * The one Ajv configuration of the project. The checks, the generators and the model-output
 * validation all compile with an instance from here, so they accept the same keywords and formats.
 */
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormats from "ajv-formats"

/** Settings of an Ajv instance made by `makeAjv`. */
export interface AjvOptions {
  /** Collect every error instead of stopping at the first, for messages fed back to a model. */
  readonly allErrors: boolean
}

/** Makes an Ajv 2020-12 instance configured for schemas converted from OpenAPI. */
export const makeAjv = (options: AjvOptions = { allErrors: false }): Ajv2020 => {
  const ajv = new Ajv2020({
    // Specs carry keywords such as `discriminator`, `xml`, `example` and `x-*`, which strict mode rejects.
    strict: false,
    allErrors: options.allErrors,
    validateFormats: true,
    logger: false,
    allowUnionTypes: true,
    unicodeRegExp: false
  })
  // ajv-formats is CommonJS: its function is also its own `default`, which works under ESM and CJS.
  addFormats.default(ajv)
  // Formats OpenAPI defines that ajv-formats does not; any value of the right type is accepted.
  for (const name of ["int32", "int64", "float", "double", "byte", "binary", "password"]) {
    ajv.addFormat(name, true)
  }
  return ajv
}
