import type { ApiSpec, JsonSchema, SchemaDefinitions, SpecProblem } from "./model.js"
import { isObject } from "./pointer.js"

const defsPrefix = "#/$defs/"

/** Key of a `{ "$ref": "#/$defs/<key>" }` reference, or `undefined` for any other value. */
export const definitionKey = (ref: unknown): string | undefined =>
  typeof ref === "string" && ref.startsWith(defsPrefix) ? ref.slice(defsPrefix.length) : undefined

/** Reference to a converted component. */
export const definitionRef = (key: string): { readonly $ref: string } => ({ $ref: defsPrefix + key })

/**
 * Converted component schemas with the keys each one references directly, so that reachability needs
 * no walk over the schemas. Filled by the schema converter as operations reach components.
 */
export class DefinitionStore implements SchemaDefinitions {
  private readonly schemas = new Map<string, JsonSchema>()
  private readonly edges = new Map<string, ReadonlyArray<string>>()
  private readonly faults = new Map<string, SpecProblem>()
  private readonly standalone = new WeakMap<object, JsonSchema>()

  get(key: string): JsonSchema | undefined {
    return this.schemas.get(key)
  }

  has(key: string): boolean {
    return this.schemas.has(key)
  }

  /** Keys of every converted definition, in conversion order. */
  keys(): IterableIterator<string> {
    return this.schemas.keys()
  }

  get size(): number {
    return this.schemas.size
  }

  /** Whether any definition failed to convert. */
  get hasFaults(): boolean {
    return this.faults.size > 0
  }

  /** Keys that the definition references directly. */
  referencesOf(key: string): ReadonlyArray<string> {
    return this.edges.get(key) ?? []
  }

  /** Returns the error found while converting a definition, if any. */
  faultOf(key: string): SpecProblem | undefined {
    return this.faults.get(key)
  }

  set(key: string, schema: JsonSchema, references: ReadonlyArray<string>, fault?: SpecProblem): void {
    this.schemas.set(key, schema)
    this.edges.set(key, references)
    if (fault !== undefined) this.faults.set(key, fault)
  }

  /** Keys reachable from the given keys, the given ones included, found without recursion. */
  reachable(roots: Iterable<string>): Set<string> {
    const seen = new Set<string>()
    const stack: Array<string> = [...roots]
    while (stack.length > 0) {
      const key = stack.pop() as string
      if (seen.has(key)) continue
      seen.add(key)
      for (const next of this.referencesOf(key)) if (!seen.has(next)) stack.push(next)
    }
    return seen
  }

  memoStandalone(schema: object, build: () => JsonSchema): JsonSchema {
    const cached = this.standalone.get(schema)
    if (cached !== undefined) return cached
    const built = build()
    this.standalone.set(schema, built)
    return built
  }
}

/** Collects the `#/$defs/` keys a schema references, walking its objects and arrays without recursion. */
export const collectDefinitionKeys = (schema: unknown, into: Set<string>): void => {
  const stack: Array<unknown> = [schema]
  while (stack.length > 0) {
    const node = stack.pop()
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === "object" && item !== null) stack.push(item)
    } else if (isObject(node)) {
      for (const key in node) {
        const value = node[key]
        if (key === "$ref") {
          const target = definitionKey(value)
          if (target !== undefined) into.add(target)
        } else if (typeof value === "object" && value !== null) {
          stack.push(value)
        }
      }
    }
  }
}

/**
 * Returns a self-contained copy of a schema of `spec`: the schema with a `$defs` holding every
 * definition it reaches, ready for an Ajv 2020 validator or a generator. Memoized per schema object.
 */
export const standaloneSchema = (spec: ApiSpec, schema: JsonSchema): JsonSchema => {
  if (typeof schema === "boolean") return schema
  const build = (): JsonSchema => {
    const roots = new Set<string>()
    collectDefinitionKeys(schema, roots)
    if (roots.size === 0) return schema
    const store = spec.definitions
    const keys = store instanceof DefinitionStore ? store.reachable(roots) : reachableByWalk(store, roots)
    const defs: Record<string, JsonSchema> = {}
    for (const key of [...keys].sort()) defs[key] = store.get(key) ?? true
    const existing = isObject(schema.$defs) ? schema.$defs : {}
    return { ...schema, $defs: { ...existing, ...defs } }
  }
  return spec.definitions instanceof DefinitionStore
    ? spec.definitions.memoStandalone(schema, build)
    : build()
}

const reachableByWalk = (store: SchemaDefinitions, roots: Set<string>): Set<string> => {
  const seen = new Set<string>()
  const stack = [...roots]
  while (stack.length > 0) {
    const key = stack.pop() as string
    if (seen.has(key)) continue
    seen.add(key)
    const next = new Set<string>()
    collectDefinitionKeys(store.get(key), next)
    for (const item of next) if (!seen.has(item)) stack.push(item)
  }
  return seen
}
