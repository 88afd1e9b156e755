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
import { checkSatisfiable } from "./schemaChecks.js"

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
  readonly value: unknown
  readonly view: SchemaView
}

/** A same-document `$ref` that resolves: the pointer it names and the value there. */
interface ResolvedRef {
  readonly value: unknown
  readonly pointer: string
}

/** A reference already converted in one view: its definition key and the shared `{ $ref }` schema. */
interface ConvertedRef {
  readonly key: string
  readonly schema: JsonSchema
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
  /** Definition keys by view, then target pointer. */
  private readonly keyByTarget: Readonly<Record<SchemaView, Map<string, string>>> = {
    request: new Map(),
    response: new Map(),
    any: new Map()
  }
  private readonly usedKeys = new Set<string>()
  private readonly pending: Array<PendingDefinition> = []
  /** Targets proven not to be `readOnly` / `writeOnly`, by flag. */
  private readonly unmarked = { readOnly: new Set<string>(), writeOnly: new Set<string>() }
  /** Whether a schema that is only a `$ref` is `readOnly` / `writeOnly`, by flag and `$ref` value. */
  private readonly markedRefs = {
    readOnly: new Map<string, boolean>(),
    writeOnly: new Map<string, boolean>()
  }
  private references: Set<string> = new Set()
  /** Same-document `$ref` values already checked to resolve, with their pointers and values. */
  private readonly targets = new Map<string, ResolvedRef>()
  /** `$ref` values already converted, by view: most documents reference each component many times. */
  private readonly convertedRefs: Readonly<Record<SchemaView, Map<string, ConvertedRef>>> = {
    request: new Map(),
    response: new Map(),
    any: new Map()
  }

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
        const schema = this.convertNode(item.value, item.pointer, item.view, 0)
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
    let resolved = this.resolveRef(node.$ref, pointer)
    // Most references take one step, so the set that detects loops is created only for a second one.
    let seen: Set<string> | undefined
    while (isObject(resolved.value) && typeof resolved.value.$ref === "string") {
      seen ??= new Set([resolved.pointer])
      const next = this.resolveRef(resolved.value.$ref, resolved.pointer)
      if (seen.has(next.pointer))
        throw new DocumentFault(
          "circular-ref",
          resolved.pointer,
          `The $ref at ${resolved.pointer} refers to itself in a loop`
        )
      seen.add(next.pointer)
      resolved = next
    }
    return resolved
  }

  private resolveRef(ref: string, at: string): ResolvedRef {
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
    const value = resolvePointer(this.document, target)
    if (value === undefined) {
      throw new DocumentFault(
        "dangling-ref",
        childPointer(at, "$ref"),
        `The $ref "${ref}" at ${at} points to nothing in the document; fix the pointer or add the target`
      )
    }
    const resolved = { value, pointer: target }
    this.targets.set(ref, resolved)
    return resolved
  }

  private definitionKeyFor(resolved: ResolvedRef, view: SchemaView): string {
    const target = resolved.pointer
    const keys = this.keyByTarget[view]
    const existing = keys.get(target)
    if (existing !== undefined) return existing
    const componentName = /^\/(components\/schemas|definitions|x-qawave-external)\/[^/]+$/.test(target)
      ? lastToken(target)
      : target.slice(1).split("/").map(decodeToken).join(".")
    let base = componentName.replace(/[^A-Za-z0-9._-]/g, "_") || "schema"
    if (view !== "any") base = `${base}.${view}`
    let key = base
    for (let n = 2; this.usedKeys.has(key); n++) key = `${base}-${n}`
    this.usedKeys.add(key)
    keys.set(target, key)
    this.pending.push({ key, pointer: target, value: resolved.value, view })
    return key
  }

  private refTo(ref: string, at: string, view: SchemaView): JsonSchema {
    const converted = this.convertedRefs[view]
    let known = converted.get(ref)
    if (known === undefined) {
      const key = this.definitionKeyFor(this.resolveRef(ref, at), view)
      // NOTE: every use of a reference shares this object, so a caller must not change a schema in place.
      known = { key, schema: definitionRef(key) }
      converted.set(ref, known)
    }
    this.references.add(known.key)
    return known.schema
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
    let nullable = false
    // Set by the keywords without which `checkSatisfiable` finds nothing, so that most nodes skip it.
    let inspect = false
    for (const keyword in node) {
      const value = node[keyword]
      switch (keyword) {
        case "type":
          isFile = this.convertType(value, out, pointer)
          break
        case "properties":
          if (isObject(value)) dropped = this.convertProperties(value, pointer, view, depth, out)
          break
        case "required":
          inspect = true
          if (Array.isArray(value))
            required = value.filter((item): item is string => typeof item === "string")
          break
        case "items":
          if (Array.isArray(value)) {
            out.prefixItems = value.map((item, i) =>
              this.convertNode(item, childPointer(pointer, "items", i), view, depth + 1)
            )
          } else {
            out.items = this.convertNode(value, childPointer(pointer, "items"), view, depth + 1)
          }
          break
        case "additionalProperties":
          out.additionalProperties =
            typeof value === "boolean"
              ? value
              : this.convertNode(value, childPointer(pointer, keyword), view, depth + 1)
          break
        case "discriminator":
          if (isObject(value) && typeof value.propertyName === "string") {
            out.discriminator = this.convertDiscriminator(value, childPointer(pointer, keyword), view)
          }
          break
        case "enum":
          inspect = true
          if (Array.isArray(value)) out.enum = value
          break
        case "minimum":
          // A 3.0 / 2.0 `exclusiveMinimum: true` turns the bound into the 2020-12 numeric form.
          if (typeof value === "number")
            out[node.exclusiveMinimum === true ? "exclusiveMinimum" : "minimum"] = value
          break
        case "maximum":
          inspect = true
          if (typeof value === "number")
            out[node.exclusiveMaximum === true ? "exclusiveMaximum" : "maximum"] = value
          break
        case "exclusiveMinimum":
        case "exclusiveMaximum":
          if (typeof value === "number") out[keyword] = value
          break
        case "example":
          inspect = true
          if (!Array.isArray(node.examples) || legacy) out.examples = [value]
          break
        case "examples":
          if (Array.isArray(value) && out.examples === undefined) out.examples = value
          break
        case "nullable":
        case "x-nullable":
          if (value === true) nullable = true
          break
        case "default":
        case "maxLength":
        case "maxItems":
        case "maxProperties":
          inspect = true
          out[keyword] = value
          break
        default:
          if (copiedKeywords.has(keyword)) out[keyword] = value
          else if (schemaValuedKeywords.has(keyword))
            out[keyword] = this.convertNode(value, childPointer(pointer, keyword), view, depth + 1)
          else if (schemaListKeywords.has(keyword))
            out[keyword] = this.convertList(value, pointer, keyword, view, depth)
          else if (schemaMapKeywords.has(keyword)) {
            if (isObject(value)) out[keyword] = this.convertMap(value, pointer, keyword, view, depth)
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
    if (inspect) checkSatisfiable(node, pointer, this.warn)
    if (legacy && nullable) return addNull(out)
    return out
  }

  private convertList(
    value: unknown,
    pointer: string,
    keyword: string,
    view: SchemaView,
    depth: number
  ): Array<JsonSchema> {
    if (!Array.isArray(value)) {
      throw new DocumentFault(
        "invalid-schema",
        childPointer(pointer, keyword),
        `"${keyword}" at ${pointer} must be an array of schemas`
      )
    }
    return value.map((item, i) => this.convertNode(item, childPointer(pointer, keyword, i), view, depth + 1))
  }

  private convertMap(
    value: JsonObject,
    pointer: string,
    keyword: string,
    view: SchemaView,
    depth: number
  ): Record<string, JsonSchema> {
    const converted: Record<string, JsonSchema> = {}
    for (const name in value) {
      converted[name] = this.convertNode(value[name], childPointer(pointer, keyword, name), view, depth + 1)
    }
    return converted
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
    const base = childPointer(pointer, "properties")
    for (const name in properties) {
      const property = properties[name]
      const at = childPointer(base, name)
      if (flag !== undefined && this.isMarked(property, flag)) {
        dropped.push(name)
        continue
      }
      converted[name] = this.convertNode(property, at, view, depth + 1)
    }
    out.properties = converted
    return dropped
  }

  /** Reports whether a property schema is `readOnly` / `writeOnly`, looking through `$ref` chains and `allOf`. */
  private isMarked(node: unknown, flag: "readOnly" | "writeOnly"): boolean {
    if (!isObject(node)) return false
    if (node[flag] === true) return true
    const ref = node.$ref
    if (Array.isArray(node.allOf)) return this.searchMarked(node, flag)
    if (typeof ref !== "string") return false
    // A property that is only a reference is marked exactly when its target is, and many properties
    // share a target.
    const known = this.markedRefs[flag].get(ref)
    if (known !== undefined) return known
    const marked = this.searchMarked(node, flag)
    this.markedRefs[flag].set(ref, marked)
    return marked
  }

  private searchMarked(node: JsonObject, flag: "readOnly" | "writeOnly"): boolean {
    const unmarked = this.unmarked[flag]
    const stack: Array<unknown> = [node]
    const seen = new Set<string>()
    while (stack.length > 0) {
      const item = stack.pop()
      if (!isObject(item)) continue
      if (item[flag] === true) return true
      if (typeof item.$ref === "string") {
        const target = localRefPointer(item.$ref)
        if (target === undefined || seen.has(target)) continue
        seen.add(target)
        if (unmarked.has(target)) continue
        stack.push(resolvePointer(this.document, target))
      }
      if (Array.isArray(item.allOf)) for (const member of item.allOf) stack.push(member)
    }
    // Only targets proven unmarked are remembered; the caller's own node is not a target.
    for (const target of seen) unmarked.add(target)
    return false
  }

  private readonly warn = (code: string, pointer: string, message: string): void => {
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

const describe = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "an array"
      : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`
