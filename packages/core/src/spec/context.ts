import type { SpecProblem, SpecVersion } from "./model.js"
import type { JsonObject } from "./pointer.js"
import type { SchemaConverter } from "./schema.js"

/** What normalizing one operation reads and writes. */
export interface OperationContext {
  readonly document: JsonObject
  readonly version: SpecVersion
  readonly converter: SchemaConverter
  /** Definition keys the operation references directly; filled while converting its schemas. */
  readonly references: Set<string>
  /** Warnings about this operation; errors are raised as `DocumentFault`. */
  readonly problems: Array<SpecProblem>
  /** Swagger 2.0 effective `consumes` / `produces` media types. */
  readonly consumes: ReadonlyArray<string>
  readonly produces: ReadonlyArray<string>
  /** Returns the operations that links can name, built on first use because most documents have no links. */
  readonly linkTargets: () => LinkTargets
  /** Normalized components (`#/components/parameters/…`, responses …) by kind, then pointer, shared by operations. */
  readonly memo: Map<string, Map<string, MemoEntry>>
  /**
   * Whether the operation's inline values sit under a component pointer, which happens when its path
   * item is a referenced component. Computed once per path item, because testing each inline pointer
   * would first copy that long concatenated string into a flat one.
   */
  readonly inlineUnderComponent: boolean
}

/** Normalized operation id by the document's `operationId` and by operation pointer. */
export interface LinkTargets {
  readonly byOperationId: ReadonlyMap<string, string>
  readonly byPointer: ReadonlyMap<string, string>
}

/** Values produced by `memoized`, which many operations share; fingerprints hash each of them once. */
export const sharedParts = new WeakSet<object>()

export interface MemoEntry {
  readonly value: unknown
  readonly references: ReadonlyArray<string>
}

/**
 * Reports whether `memoized` shares the value at `pointer`, which it does under a component pointer.
 * `viaRef` is true when `pointer` is the target of a `$ref` and false when it is the value's inline
 * location.
 */
export const isSharedComponent = (context: OperationContext, pointer: string, viaRef: boolean): boolean =>
  viaRef ? isComponentPointer(pointer) : context.inlineUnderComponent

/**
 * Normalizes a component once per pointer and shares the result: later operations reuse it and
 * inherit the definitions it references. Callers use it only where `isSharedComponent` holds, and
 * build other values directly, which spares the closure and the kind string.
 */
export const memoized = <A>(
  context: OperationContext,
  kind: string,
  pointer: string,
  build: (context: OperationContext) => A
): A => {
  let byPointer = context.memo.get(kind)
  if (byPointer === undefined) {
    byPointer = new Map()
    context.memo.set(kind, byPointer)
  }
  const hit = byPointer.get(pointer)
  if (hit !== undefined) {
    for (const reference of hit.references) context.references.add(reference)
    return hit.value as A
  }
  const references = new Set<string>()
  const value = build(withReferences(context, references))
  for (const reference of references) context.references.add(reference)
  byPointer.set(pointer, { value, references: [...references] })
  if (typeof value === "object" && value !== null) sharedParts.add(value)
  return value
}

/** Returns a copy of `context` that records references into `references`. */
const withReferences = (context: OperationContext, references: Set<string>): OperationContext => ({
  document: context.document,
  version: context.version,
  converter: context.converter,
  references,
  problems: context.problems,
  consumes: context.consumes,
  produces: context.produces,
  linkTargets: context.linkTargets,
  memo: context.memo,
  inlineUnderComponent: context.inlineUnderComponent
})

export const isComponentPointer = (pointer: string): boolean =>
  pointer.startsWith("/components/") ||
  pointer.startsWith("/parameters/") ||
  pointer.startsWith("/responses/") ||
  pointer.startsWith("/x-qawave-external/")
