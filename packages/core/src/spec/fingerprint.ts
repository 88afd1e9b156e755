import { sha256 } from "./canonical.js"
import { sharedParts } from "./context.js"
import type { DefinitionStore } from "./definitions.js"
import type { Operation, SpecProblem } from "./model.js"

/** Per definition: a hash of everything it reaches, and the first broken definition it reaches. */
export interface DefinitionDigests {
  readonly hashOf: (key: string) => string
  readonly faultOf: (key: string) => SpecProblem | undefined
}

interface Frame {
  readonly key: string
  readonly edges: ReadonlyArray<string>
  next: number
}

/**
 * Hashes every definition together with what it reaches, Merkle style over the strongly connected
 * components of the reference graph (iterative Tarjan, so deep chains need no stack). Changing one
 * definition changes the hash of exactly the definitions that reach it.
 */
export const digestDefinitions = (store: DefinitionStore): DefinitionDigests => {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: Array<string> = []
  const componentOf = new Map<string, number>()
  const componentHash: Array<string> = []
  const componentFault: Array<SpecProblem | undefined> = []
  let counter = 0

  const visit = (key: string, work: Array<Frame>): void => {
    index.set(key, counter)
    low.set(key, counter)
    counter++
    stack.push(key)
    onStack.add(key)
    work.push({ key, edges: store.referencesOf(key), next: 0 })
  }

  const closeComponent = (root: string): void => {
    const members: Array<string> = []
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member)
      members.push(member)
      if (member === root) break
    }
    const id = componentHash.length
    for (const member of members) componentOf.set(member, id)
    members.sort()
    const children = new Set<string>()
    let fault: SpecProblem | undefined
    const parts: Array<string> = []
    for (const member of members) {
      parts.push(`${member}=${sha256(JSON.stringify(store.get(member)) ?? "")}`)
      fault ??= store.faultOf(member)
      for (const target of store.referencesOf(member)) {
        const child = componentOf.get(target)
        if (child === undefined || child === id) continue
        children.add(componentHash[child] as string)
        fault ??= componentFault[child]
      }
    }
    componentHash.push(sha256(`${parts.join("\n")}\n--\n${[...children].sort().join("\n")}`))
    componentFault.push(fault)
  }

  for (const root of store.keys()) {
    if (index.has(root)) continue
    const work: Array<Frame> = []
    visit(root, work)
    while (work.length > 0) {
      const frame = work[work.length - 1] as Frame
      if (frame.next < frame.edges.length) {
        const target = frame.edges[frame.next++] as string
        if (!store.has(target)) continue
        if (!index.has(target)) visit(target, work)
        else if (onStack.has(target))
          low.set(frame.key, Math.min(low.get(frame.key) as number, index.get(target) as number))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent !== undefined)
        low.set(parent.key, Math.min(low.get(parent.key) as number, low.get(frame.key) as number))
      if (low.get(frame.key) === index.get(frame.key)) closeComponent(frame.key)
    }
  }

  return {
    hashOf: (key) => {
      const id = componentOf.get(key)
      return id === undefined ? "missing" : (componentHash[id] as string)
    },
    faultOf: (key) => {
      const id = componentOf.get(key)
      return id === undefined ? undefined : componentFault[id]
    }
  }
}

const partHashes = new WeakMap<object, string>()

/** Text of one part of an operation. A part that many operations share is hashed once and represented by its hash. */
const partText = (part: unknown): string => {
  if (typeof part !== "object" || part === null || !sharedParts.has(part)) return JSON.stringify(part) ?? "-"
  let hash = partHashes.get(part)
  if (hash === undefined) {
    hash = sha256(JSON.stringify(part))
    partHashes.set(part, hash)
  }
  return hash
}

/**
 * Fingerprint of an operation: its normalized fields, without problems, plus what its definitions
 * reach. NOTE: parts are hashed as `JSON.stringify` text (several times faster than sorted-key JSON
 * on large specs), so reordering keys in the document changes fingerprints.
 */
export const operationFingerprint = (
  operation: Operation,
  references: ReadonlySet<string>,
  digests: DefinitionDigests
): string => {
  // Listed one by one, in the order of the operation object, because `fingerprint` itself is a getter.
  // NOTE: a field added to `Operation` must be added here too, or fingerprints do not change with it.
  const fields: Record<string, unknown> = {
    id: operation.id,
    method: operation.method,
    path: operation.path,
    tags: operation.tags,
    deprecated: operation.deprecated,
    pointer: operation.pointer
  }
  if (operation.summary !== undefined) fields.summary = operation.summary
  if (operation.description !== undefined) fields.description = operation.description
  fields.servers = operation.servers
  fields.security = operation.security
  const parts = [
    JSON.stringify(fields),
    ...operation.parameters.map(partText),
    partText(operation.requestBody),
    ...operation.responses.map(partText)
  ]
  for (const key of [...references].sort()) parts.push(`${key}=${digests.hashOf(key)}`)
  return sha256(parts.join("\n"))
}

/** Computes the fingerprint of a normalized operation from the definitions it references directly. */
export type ComputeFingerprint = (operation: Operation, references: ReadonlySet<string>) => string

/** Per-operation state of the lazy `fingerprint` getter, under a symbol key that is not enumerable. */
interface FingerprintState {
  readonly references: ReadonlySet<string>
  readonly compute: ComputeFingerprint
  value: string | undefined
}

const fingerprintState = Symbol("qawave.fingerprintState")

/**
 * Returns the operation's fingerprint, computed on the first call. This one getter serves every
 * operation so that they share a hidden class, where a closure per operation would give each its own.
 */
function readFingerprint(this: Operation & { readonly [fingerprintState]: FingerprintState }): string {
  const state = this[fingerprintState]
  state.value ??= state.compute(this, state.references)
  return state.value
}

const fingerprintDescriptor: PropertyDescriptor = { enumerable: true, get: readFingerprint }

/**
 * Adds `fingerprint` to an operation object as an enumerable getter computed on first read and then
 * kept: most callers never read it, and hashing every operation of a large spec costs about as much as
 * normalizing it.
 */
export const withLazyFingerprint = (
  operation: Omit<Operation, "fingerprint">,
  references: ReadonlySet<string>,
  compute: ComputeFingerprint
): Operation => {
  const state: FingerprintState = { references, compute, value: undefined }
  Object.defineProperty(operation, fingerprintState, { value: state })
  return Object.defineProperty(operation, "fingerprint", fingerprintDescriptor) as Operation
}
