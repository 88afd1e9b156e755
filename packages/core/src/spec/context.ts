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
  /** Normalized operation id by the document's `operationId` and by operation pointer, for links. */
  readonly operationIds: ReadonlyMap<string, string>
  readonly operationPointers: ReadonlyMap<string, string>
  /** Normalized components (`#/components/parameters/…`, responses …) by kind and pointer, shared by operations. */
  readonly memo: Map<string, MemoEntry>
}

/** Values produced by `memoized`, which many operations share; fingerprints hash each of them once. */
export const sharedParts = new WeakSet<object>()

export interface MemoEntry {
  readonly value: unknown
  readonly references: ReadonlyArray<string>
}

/**
 * Normalizes a component once per pointer and shares the result: later operations reuse it and
 * inherit the definitions it references. Values not under a component pointer are not memoized.
 */
export const memoized = <A>(
  context: OperationContext,
  kind: string,
  pointer: string,
  build: (context: OperationContext) => A
): A => {
  if (!isComponentPointer(pointer)) return build(context)
  const key = `${kind}\u0000${pointer}`
  const hit = context.memo.get(key)
  if (hit !== undefined) {
    for (const reference of hit.references) context.references.add(reference)
    return hit.value as A
  }
  const references = new Set<string>()
  const value = build({ ...context, references })
  for (const reference of references) context.references.add(reference)
  context.memo.set(key, { value, references: [...references] })
  if (typeof value === "object" && value !== null) sharedParts.add(value)
  return value
}

const isComponentPointer = (pointer: string): boolean =>
  pointer.startsWith("/components/") ||
  pointer.startsWith("/parameters/") ||
  pointer.startsWith("/responses/") ||
  pointer.startsWith("/x-qawave-external/")
