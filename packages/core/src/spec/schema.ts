import { DefinitionStore, definitionRef } from "./definitions.js"
import { DocumentFault } from "./fault.js"
import type { JsonSchema, SpecProblem, SpecVersion } from "./model.js"
import {
  childPointer,
  isObject,
  type JsonObject,
  lastToken,
  localRefPointer,
  resolvePointer
} from "./pointer.js"

/**
 * Which side of the wire a schema describes: `request` drops `readOnly` properties, `response` drops
 * `writeOnly` ones, `any` drops nothing.
 */
export type SchemaView = "request" | "response" | "any"

/** Inline nesting limit of one schema; deeper documents are rejected instead of overflowing the stack. */
const maxInlineDepth = 400

const jsonTypes = new Set(["string", "number", "integer", "boolean", "array", "object", "null"])

/**
 * JSON Schema 2020-12 keywords copied unchanged. `discriminator` is kept with its mapping rewritten to
 * `#/$defs/<key>` references (Ajv ignores it; the generator and the schema check read it). Other keys
 * (`xml`, `x-*` …) are dropped.
 */
const copiedKeywords = new Set([
  "title",
  "description",
  "default",
  "const",
  "format",
  "pattern",
  "uniqueItems",
  "readOnly",
  "writeOnly",
  "deprecated",
  "multipleOf",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "minContains",
  "maxContains",
  "contentMediaType",
  "contentEncoding",
  "dependentRequired",
  "$comment"
])

const schemaValuedKeywords = new Set([
  "not",
  "contains",
  "propertyNames",
  "if",
  "then",
  "else",
  "unevaluatedProperties",
  "unevaluatedItems",
  "contentSchema"
])

const schemaListKeywords = new Set(["allOf", "anyOf", "oneOf", "prefixItems"])
const schemaMapKeywords = new Set(["patternProperties", "dependentSchemas"])

interface PendingDefinition {
  readonly key: string
  readonly pointer: string
  readonly view: SchemaView
}

/**
 * Converts OpenAPI schemas (2.0, 3.0, 3.1) into JSON Schema 2020-12 on demand. A reference becomes
 * `{ "$ref": "#/$defs/<key>" }` and its target is queued, then converted once per (pointer, view) by
 * `drain`, which loops instead of recursing: a chain of thousands of references, or a cycle, never
 * grows the stack.
 */
export class SchemaConverter {
  readonly store = new DefinitionStore()
  readonly warnings: Array<SpecProblem> = []
  private readonly keyByTarget = new Map<string, string>()
  private readonly usedKeys = new Set<string>()
  private readonly pending: Array<PendingDefinition> = []
  private readonly markedMemo = new Map<string, boolean>()
  private references: Set<string> = new Set()
  /** Same-document `$ref` values already checked to resolve, with their pointers. */
  private readonly targets = new Map<string, string>()

  constructor(
    private readonly document: JsonObject,
    private readonly version: SpecVersion,
    /** Whether the document uses `readOnly` / `writeOnly` at all; if not, views share definitions. */
    private readonly usesReadOnly: boolean,
    private readonly usesWriteOnly: boolean
  ) {}

  /** Narrows a requested view to `any` when the document has nothing that view would drop. */
  effectiveView(view: SchemaView): SchemaView {
    if (view === "request") return this.usesReadOnly ? "request" : "any"
    if (view === "response") return this.usesWriteOnly ? "response" : "any"
    return "any"
  }

  /**
   * Converts one inline schema at `pointer`, adding the keys of the definitions it references to
   * `references`. Raises `DocumentFault` for a dangling reference or a value that is not a schema.
   */
  convert(node: unknown, pointer: string, view: SchemaView, references: Set<string>): JsonSchema {
    const saved = this.references
    this.references = references
    try {
      return this.convertNode(node, pointer, this.effectiveView(view), 0)
    } finally {
      this.references = saved
    }
  }

  /** Converts every queued definition; a broken one is stored with its fault and converting goes on. */
  drain(): void {
    for (let item = this.pending.pop(); item !== undefined; item = this.pending.pop()) {
      const references = new Set<string>()
      const saved = this.references
      this.references = references
      try {
        const node = resolvePointer(this.document, item.pointer)
        const schema = this.convertNode(node, item.pointer, item.view, 0)
        this.store.set(item.key, schema, [...references])
      } catch (error) {
        if (!(error instanceof DocumentFault)) throw error
        const fault: SpecProblem = {
          code: error.code,
          severity: "error",
          message: error.message,
          pointer: error.pointer
        }
        // An empty schema keeps references to the key resolvable; the fault marks it unusable.
        this.store.set(item.key, {}, [...references], fault)
      } finally {
        this.references = saved
      }
    }
  }

  /** Follows same-document `$ref`s from a value (a parameter, response …) until a non-reference. */
  resolveRefs(node: unknown, pointer: string): { readonly value: unknown; readonly pointer: string } {
    if (!isObject(node) || typeof node.$ref !== "string") return { value: node, pointer }
    let current: unknown = node
    let at = pointer
    const seen = new Set<string>()
    while (isObject(current) && typeof current.$ref === "string") {
      const target = this.targetOf(current.$ref, at)
      if (seen.has(target))
        throw new DocumentFault("circular-ref", at, `The $ref at ${at} refers to itself in a loop`)
      seen.add(target)
      current = resolvePointer(this.document, target)
      at = target
    }
    return { value: current, pointer: at }
  }

  private targetOf(ref: string, at: string): string {
    const known = this.targets.get(ref)
    if (known !== undefined) return known
    const target = localRefPointer(ref)
    if (target === undefined) {
      throw new DocumentFault(
        "unresolved-ref",
        childPointer(at, "$ref"),
        `The $ref "${ref}" at ${at} points into another document that was not bundled; check the reference`
      )
    }
    if (resolvePointer(this.document, target) === undefined) {
      throw new DocumentFault(
        "dangling-ref",
        childPointer(at, "$ref"),
        `The $ref "${ref}" at ${at} points to nothing in the document; fix the pointer or add the target`
      )
    }
    this.targets.set(ref, target)
    return target
  }

  private definitionKeyFor(target: string, view: SchemaView): string {
    const memoKey = `${view}\u0000${target}`
    const existing = this.keyByTarget.get(memoKey)
    if (existing !== undefined) return existing
    const componentName = /^\/(components\/schemas|definitions|x-qawave-external)\/[^/]+$/.test(target)
      ? lastToken(target)
      : target.slice(1).split("/").map(decodeToken).join(".")
    let base = componentName.replace(/[^A-Za-z0-9._-]/g, "_") || "schema"
    if (view !== "any") base = `${base}.${view}`
    let key = base
    for (let n = 2; this.usedKeys.has(key); n++) key = `${base}-${n}`
    this.usedKeys.add(key)
    this.keyByTarget.set(memoKey, key)
    this.pending.push({ key, pointer: target, view })
    return key
  }

  private refTo(ref: string, at: string, view: SchemaView): JsonSchema {
    const key = this.definitionKeyFor(this.targetOf(ref, at), view)
    this.references.add(key)
    return definitionRef(key)
  }

  private convertNode(node: unknown, pointer: string, view: SchemaView, depth: number): JsonSchema {
    if (typeof node === "boolean") {
      if (this.version === "3.1") return node
      throw new DocumentFault(
        "invalid-schema",
        pointer,
        `The schema at ${pointer} is a boolean, which OpenAPI ${this.version} does not allow`
      )
    }
    if (!isObject(node)) {
      throw new DocumentFault(
        "invalid-schema",
        pointer,
        `The schema at ${pointer} must be an object, found ${describe(node)}`
      )
    }
    if (depth > maxInlineDepth) {
      throw new DocumentFault(
        "invalid-schema",
        pointer,
        `The schema at ${pointer} nests deeper than ${maxInlineDepth} levels`
      )
    }
    if (typeof node.$ref === "string") {
      const target = this.refTo(node.$ref, pointer, view)
      if (this.version !== "3.1") return target
      // In 3.1 a `$ref` applies together with its sibling keywords.
      const { $ref: _ref, ...siblings } = node
      const rest = this.convertObject(siblings, pointer, view, depth)
      return Object.keys(rest).length === 0 ? target : { allOf: [target, rest] }
    }
    return this.convertObject(node, pointer, view, depth)
  }

  private convertObject(node: JsonObject, pointer: string, view: SchemaView, depth: number): JsonSchema {
    const out: Record<string, unknown> = {}
    const legacy = this.version !== "3.1"
    let isFile = false
    let dropped: ReadonlyArray<string> = noNames
    let required: ReadonlyArray<string> | undefined
    for (const keyword in node) {
      const value = node[keyword]
      if (copiedKeywords.has(keyword)) {
        out[keyword] = value
      } else if (keyword === "type") {
        isFile = this.convertType(value, out, pointer)
      } else if (keyword === "properties") {
        if (isObject(value)) dropped = this.convertProperties(value, pointer, view, depth, out)
      } else if (keyword === "required") {
        if (Array.isArray(value)) required = value.filter((item): item is string => typeof item === "string")
      } else if (keyword === "items") {
        if (Array.isArray(value)) {
          out.prefixItems = value.map((item, i) =>
            this.convertNode(item, childPointer(pointer, "items", i), view, depth + 1)
          )
        } else {
          out.items = this.convertNode(value, childPointer(pointer, "items"), view, depth + 1)
        }
      } else if (keyword === "additionalProperties") {
        out.additionalProperties =
          typeof value === "boolean"
            ? value
            : this.convertNode(value, childPointer(pointer, keyword), view, depth + 1)
      } else if (keyword === "discriminator") {
        if (isObject(value) && typeof value.propertyName === "string") {
          out.discriminator = this.convertDiscriminator(value, childPointer(pointer, keyword), view)
        }
      } else if (keyword === "enum") {
        if (Array.isArray(value)) out.enum = value
      } else if (keyword === "minimum") {
        // A 3.0 / 2.0 `exclusiveMinimum: true` turns the bound into the 2020-12 numeric form.
        if (typeof value === "number")
          out[node.exclusiveMinimum === true ? "exclusiveMinimum" : "minimum"] = value
      } else if (keyword === "maximum") {
        if (typeof value === "number")
          out[node.exclusiveMaximum === true ? "exclusiveMaximum" : "maximum"] = value
      } else if (keyword === "exclusiveMinimum" || keyword === "exclusiveMaximum") {
        if (typeof value === "number") out[keyword] = value
      } else if (keyword === "example") {
        if (!Array.isArray(node.examples) || legacy) out.examples = [value]
      } else if (keyword === "examples") {
        if (Array.isArray(value) && out.examples === undefined) out.examples = value
      } else if (schemaValuedKeywords.has(keyword)) {
        out[keyword] = this.convertNode(value, childPointer(pointer, keyword), view, depth + 1)
      } else if (schemaListKeywords.has(keyword)) {
        if (!Array.isArray(value)) {
          throw new DocumentFault(
            "invalid-schema",
            childPointer(pointer, keyword),
            `"${keyword}" at ${pointer} must be an array of schemas`
          )
        }
        out[keyword] = value.map((item, i) =>
          this.convertNode(item, childPointer(pointer, keyword, i), view, depth + 1)
        )
      } else if (schemaMapKeywords.has(keyword)) {
        if (isObject(value)) {
          const converted: Record<string, JsonSchema> = {}
          for (const name in value) {
            converted[name] = this.convertNode(
              value[name],
              childPointer(pointer, keyword, name),
              view,
              depth + 1
            )
          }
          out[keyword] = converted
        }
      }
    }
    if (required !== undefined) {
      const kept = dropped.length === 0 ? required : required.filter((name) => !dropped.includes(name))
      if (kept.length > 0) out.required = kept
    }
    if (isFile) {
      out.type = "string"
      if (out.format === undefined) out.format = "binary"
    }
    this.checkSatisfiable(node, pointer)
    if (legacy && (node.nullable === true || node["x-nullable"] === true)) return addNull(out)
    return out
  }

  /** Copies `type`; returns whether it is the Swagger 2.0 `file` type. */
  /**
   * Keeps `propertyName` and rewrites each mapping value (a reference or a bare component name) to the
   * `#/$defs/<key>` of its converted schema; a value that resolves to nothing is kept as written.
   */
  private convertDiscriminator(node: JsonObject, pointer: string, view: SchemaView): Record<string, unknown> {
    const out: Record<string, unknown> = { propertyName: node.propertyName }
    if (!isObject(node.mapping)) return out
    const mapping: Record<string, unknown> = {}
    const components = this.version === "2.0" ? "#/definitions/" : "#/components/schemas/"
    for (const name in node.mapping) {
      const value = node.mapping[name]
      if (typeof value !== "string") continue
      const ref = value.includes("/") ? value : `${components}${value}`
      try {
        mapping[name] = (
          this.refTo(ref, childPointer(pointer, "mapping", name), view) as { $ref: string }
        ).$ref
      } catch {
        mapping[name] = value
      }
    }
    out.mapping = mapping
    return out
  }

  private convertType(value: unknown, out: Record<string, unknown>, pointer: string): boolean {
    if (value === "file") return true
    if (typeof value === "string") {
      if (jsonTypes.has(value)) out.type = value
      else
        this.warn(
          "unknown-type",
          childPointer(pointer, "type"),
          `The schema at ${pointer} has the unknown type "${value}"; it is ignored`
        )
    } else if (Array.isArray(value)) {
      out.type = value.filter((item) => typeof item === "string" && jsonTypes.has(item))
    }
    return false
  }

  private convertProperties(
    properties: JsonObject,
    pointer: string,
    view: SchemaView,
    depth: number,
    out: Record<string, unknown>
  ): ReadonlyArray<string> {
    const converted: Record<string, JsonSchema> = {}
    const dropped: Array<string> = []
    let flag: "readOnly" | "writeOnly" | undefined
    if (view === "request") flag = "readOnly"
    else if (view === "response") flag = "writeOnly"
    for (const name in properties) {
      const property = properties[name]
      const at = childPointer(pointer, "properties", name)
      if (flag !== undefined && this.isMarked(property, flag, at)) {
        dropped.push(name)
        continue
      }
      converted[name] = this.convertNode(property, at, view, depth + 1)
    }
    out.properties = converted
    return dropped
  }

  /** Reports whether a property schema is `readOnly` / `writeOnly`, looking through `$ref` chains and `allOf`. */
  private isMarked(node: unknown, flag: "readOnly" | "writeOnly", pointer: string): boolean {
    const stack: Array<{ node: unknown; pointer: string }> = [{ node, pointer }]
    const seen = new Set<string>()
    while (stack.length > 0) {
      const item = stack.pop() as { node: unknown; pointer: string }
      if (!isObject(item.node)) continue
      if (item.node[flag] === true) return true
      if (typeof item.node.$ref === "string") {
        const target = localRefPointer(item.node.$ref)
        if (target === undefined || seen.has(target)) continue
        seen.add(target)
        const memo = this.markedMemo.get(`${flag}${target}`)
        if (memo !== undefined) {
          if (memo) return true
          continue
        }
        stack.push({ node: resolvePointer(this.document, target), pointer: target })
      }
      if (Array.isArray(item.node.allOf)) {
        item.node.allOf.forEach((member, i) => {
          stack.push({ node: member, pointer: childPointer(item.pointer, "allOf", i) })
        })
      }
    }
    // Only targets proven unmarked are memoized; the caller's own node is not a target.
    for (const target of seen) this.markedMemo.set(`${flag}${target}`, false)
    return false
  }

  private checkSatisfiable(node: JsonObject, pointer: string): void {
    const low = node.minimum
    const high = node.maximum
    if (typeof low === "number" && typeof high === "number" && low > high) {
      this.unsatisfiable(pointer, `minimum ${low} > maximum ${high}`)
    }
    this.checkBounds(node, "minLength", "maxLength", pointer)
    this.checkBounds(node, "minItems", "maxItems", pointer)
    this.checkBounds(node, "minProperties", "maxProperties", pointer)
    if (Array.isArray(node.enum) && node.enum.length === 0) this.unsatisfiable(pointer, "the enum is empty")
    if (node.required !== undefined && node.properties !== undefined) this.checkRequired(node, pointer)
    if (node.type === "string") this.checkNumbersInStrings(node, pointer)
  }

  private checkBounds(node: JsonObject, min: string, max: string, pointer: string): void {
    const low = node[min]
    const high = node[max]
    if (typeof low === "number" && typeof high === "number" && low > high)
      this.unsatisfiable(pointer, `${min} ${low} > ${max} ${high}`)
  }

  private unsatisfiable(pointer: string, why: string): void {
    this.warn("unsatisfiable-schema", pointer, `No value can satisfy the schema at ${pointer}: ${why}`)
  }

  private checkRequired(node: JsonObject, pointer: string): void {
    if (!Array.isArray(node.required) || !isObject(node.properties)) return
    const properties = node.properties
    const missing = node.required.filter(
      (name) => typeof name === "string" && !Object.hasOwn(properties, name)
    )
    if (missing.length === 0) return
    if (node.additionalProperties === false && node.patternProperties === undefined) {
      this.unsatisfiable(
        pointer,
        `required ${quoteList(missing)} not in properties while additionalProperties is false`
      )
      return
    }
    if (
      node.allOf === undefined &&
      node.anyOf === undefined &&
      node.oneOf === undefined &&
      node.patternProperties === undefined
    ) {
      this.warn(
        "undeclared-required-property",
        childPointer(pointer, "required"),
        `The schema at ${pointer} requires ${quoteList(missing)}, which its properties never declare`
      )
    }
  }

  /** YAML reads unquoted `1.0` as a number; a number where a string schema expects a string is suspect. */
  private checkNumbersInStrings(node: JsonObject, pointer: string): void {
    if (node.type !== "string") return
    const enumValues = Array.isArray(node.enum) ? node.enum : []
    const hasNumber = enumValues.some((item) => typeof item === "number")
    if (hasNumber) {
      this.warn(
        "number-in-string-schema",
        childPointer(pointer, "enum"),
        `The string schema at ${pointer} lists numbers in its enum; quote them in YAML`
      )
    }
    for (const keyword of ["example", "default"] as const) {
      if (typeof node[keyword] === "number") {
        this.warn(
          "number-in-string-schema",
          childPointer(pointer, keyword),
          `The string schema at ${pointer} has a number as ${keyword}; quote it in YAML`
        )
      }
    }
  }

  private warn(code: string, pointer: string, message: string): void {
    this.warnings.push({ code, severity: "warning", message, pointer })
  }
}

/** OpenAPI 3.0 `nullable` / 2.0 `x-nullable`: allow `null` besides what the schema allows. */
const addNull = (out: Record<string, unknown>): JsonSchema => {
  if (typeof out.type === "string") {
    out.type = [out.type, "null"]
  } else if (Array.isArray(out.type)) {
    if (!out.type.includes("null")) out.type = [...out.type, "null"]
  } else if (
    out.allOf !== undefined ||
    out.anyOf !== undefined ||
    out.oneOf !== undefined ||
    out.enum !== undefined
  ) {
    return { anyOf: [out, { type: "null" }] }
  }
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
  return out
}

const noNames: ReadonlyArray<string> = []

const decodeToken = (token: string): string => token.replace(/~1/g, "/").replace(/~0/g, "~")

const quoteList = (names: ReadonlyArray<unknown>): string =>
  names.map((name) => `"${String(name)}"`).join(", ")

const describe = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "an array"
      : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`
