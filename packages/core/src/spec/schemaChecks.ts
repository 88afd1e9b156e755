import { childPointer, isObject, type JsonObject } from "./pointer.js"

/** Records a warning about the schema at `pointer`. */
export type Warn = (code: string, pointer: string, message: string) => void

/**
 * Warns about a schema that no value can satisfy, a required property its properties never declare
 * and a number where a string schema expects a string. It finds nothing unless the schema has one of
 * `maximum`, `maxLength`, `maxItems`, `maxProperties`, `enum`, `required`, `example` or `default`, so
 * the schema converter calls it only then.
 */
export const checkSatisfiable = (node: JsonObject, pointer: string, warn: Warn): void => {
  const low = node.minimum
  const high = node.maximum
  if (typeof low === "number" && typeof high === "number" && low > high) {
    unsatisfiable(pointer, `minimum ${low} > maximum ${high}`, warn)
  }
  checkBounds(node, "minLength", "maxLength", pointer, warn)
  checkBounds(node, "minItems", "maxItems", pointer, warn)
  checkBounds(node, "minProperties", "maxProperties", pointer, warn)
  if (Array.isArray(node.enum) && node.enum.length === 0) unsatisfiable(pointer, "the enum is empty", warn)
  if (node.required !== undefined && node.properties !== undefined) checkRequired(node, pointer, warn)
  if (node.type === "string") checkNumbersInStrings(node, pointer, warn)
}

const checkBounds = (node: JsonObject, min: string, max: string, pointer: string, warn: Warn): void => {
  const low = node[min]
  const high = node[max]
  if (typeof low === "number" && typeof high === "number" && low > high)
    unsatisfiable(pointer, `${min} ${low} > ${max} ${high}`, warn)
}

const unsatisfiable = (pointer: string, why: string, warn: Warn): void => {
  warn("unsatisfiable-schema", pointer, `No value can satisfy the schema at ${pointer}: ${why}`)
}

const checkRequired = (node: JsonObject, pointer: string, warn: Warn): void => {
  if (!Array.isArray(node.required) || !isObject(node.properties)) return
  const properties = node.properties
  const missing = node.required.filter((name) => typeof name === "string" && !Object.hasOwn(properties, name))
  if (missing.length === 0) return
  if (node.additionalProperties === false && node.patternProperties === undefined) {
    unsatisfiable(
      pointer,
      `required ${quoteList(missing)} not in properties while additionalProperties is false`,
      warn
    )
    return
  }
  if (
    node.allOf === undefined &&
    node.anyOf === undefined &&
    node.oneOf === undefined &&
    node.patternProperties === undefined
  ) {
    warn(
      "undeclared-required-property",
      childPointer(pointer, "required"),
      `The schema at ${pointer} requires ${quoteList(missing)}, which its properties never declare`
    )
  }
}

/** YAML reads unquoted `1.0` as a number; a number where a string schema expects a string is suspect. */
const checkNumbersInStrings = (node: JsonObject, pointer: string, warn: Warn): void => {
  if (node.type !== "string") return
  const enumValues = Array.isArray(node.enum) ? node.enum : []
  const hasNumber = enumValues.some((item) => typeof item === "number")
  if (hasNumber) {
    warn(
      "number-in-string-schema",
      childPointer(pointer, "enum"),
      `The string schema at ${pointer} lists numbers in its enum; quote them in YAML`
    )
  }
  for (const keyword of ["example", "default"] as const) {
    if (typeof node[keyword] === "number") {
      warn(
        "number-in-string-schema",
        childPointer(pointer, keyword),
        `The string schema at ${pointer} has a number as ${keyword}; quote it in YAML`
      )
    }
  }
}

const quoteList = (names: ReadonlyArray<unknown>): string =>
  names.map((name) => `"${String(name)}"`).join(", ")
