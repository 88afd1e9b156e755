import { readFile } from "node:fs/promises"
import { basename, dirname, extname, resolve as resolvePath } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import type { SpecProblem } from "./model.js"
import { escapeToken, isObject, lastToken, resolvePointer } from "./pointer.js"
import { fetchSpec, isHttpUrl, messageOf, parseDocumentText } from "./source.js"

/** Root member that contains the values imported from other documents. */
export const externalContainer = "x-qawave-external"

/** Limit on distinct documents one bundle may read, so a reference loop over URLs cannot run away. */
const maxExternalDocuments = 500

/** A cheap text test: can the document contain a `$ref` that does not start with `#`? */
export const textMayHaveExternalRefs = (text: string): boolean => {
  // Jumping between the occurrences of `$ref` lets `indexOf` skip most of a large text, where the
  // pattern alone would be tried at every position.
  for (let at = text.indexOf("$ref"); at >= 0; at = text.indexOf("$ref", at + 4)) {
    externalRefAt.lastIndex = at
    if (externalRefAt.test(text)) return true
  }
  return false
}

const externalRefAt = /\$ref["']?\s*:\s*["']?(?!#)[^\s"'{[]/y

/** Objects holding a `$ref` (all of them, or only those into other documents), found without recursion. */
export const findRefHolders = (document: unknown, externalOnly: boolean): Array<Record<string, unknown>> => {
  const found: Array<Record<string, unknown>> = []
  const stack: Array<unknown> = [document]
  while (stack.length > 0) {
    const node = stack.pop()
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === "object" && item !== null) stack.push(item)
    } else if (isObject(node)) {
      const ref = node.$ref
      if (typeof ref === "string" && (!externalOnly || !ref.startsWith("#")))
        found.push(node as Record<string, unknown>)
      for (const key in node) {
        const value = node[key]
        if (typeof value === "object" && value !== null) stack.push(value)
      }
    }
  }
  return found
}

interface Pending {
  readonly holder: Record<string, unknown>
  /** Absolute path or URL of the document the `$ref` was written in. */
  readonly base: string
}

/**
 * Imports every value that an external `$ref` targets into `root[x-qawave-external]` and rewrites the
 * references to point there, each resolved relative to the document that contains it. Reads files with
 * `fs` and URLs with the same limits as the main document. A target that cannot be read stays as it
 * is and is reported as a warning; operations that use it get an `unresolved-ref` problem.
 */
export const bundleExternalRefs = (
  root: Record<string, unknown>,
  location: string | undefined,
  limits: { readonly timeoutMs: number; readonly maxBytes: number }
): Effect.Effect<Array<SpecProblem>> =>
  Effect.gen(function* () {
    const warnings: Array<SpecProblem> = []
    const rootBase = location ?? resolvePath("memory.json")
    const documents = new Map<string, unknown>()
    const imported = new Map<string, string>()
    const usedNames = new Set<string>()
    const container: Record<string, unknown> = {}
    const queue: Array<Pending> = findRefHolders(root, true).map((holder) => ({ holder, base: rootBase }))

    while (queue.length > 0) {
      const { holder, base } = queue.pop() as Pending
      const ref = holder.$ref as string
      const hash = ref.indexOf("#")
      const file = hash < 0 ? ref : ref.slice(0, hash)
      const fragment = hash < 0 ? "" : decodeFragment(ref.slice(hash + 1))
      const target = absoluteTarget(file, base)
      if (target === rootBase) {
        holder.$ref = `#${fragment}`
        continue
      }
      const id = `${target}#${fragment}`
      const known = imported.get(id)
      if (known !== undefined) {
        holder.$ref = `#${known}`
        continue
      }
      if (!documents.has(target) && documents.size >= maxExternalDocuments) continue
      const document = documents.has(target)
        ? documents.get(target)
        : yield* loadDocument(target, limits, warnings)
      documents.set(target, document)
      const value = document === undefined ? undefined : resolvePointer(document, fragment)
      if (value === undefined) {
        if (document !== undefined) {
          warnings.push({
            code: "dangling-ref",
            severity: "warning",
            pointer: "",
            message: `The $ref "${ref}" in ${base} points to nothing in ${target}`
          })
        }
        continue
      }
      const name = uniqueName(
        fragment === "" ? basename(target, extname(target)) : lastToken(fragment),
        usedNames
      )
      const local = `/${externalContainer}/${escapeToken(name)}`
      imported.set(id, local)
      const copy = structuredClone(value)
      container[name] = copy
      holder.$ref = `#${local}`
      // References inside the copy were written relative to `target`: same-document ones included.
      for (const inner of findRefHolders(copy, false)) {
        const innerRef = inner.$ref as string
        if (innerRef.startsWith("#")) inner.$ref = `${target}${innerRef}`
        queue.push({ holder: inner, base: target })
      }
    }
    if (Object.keys(container).length > 0) {
      const existing = isObject(root[externalContainer]) ? root[externalContainer] : {}
      root[externalContainer] = { ...existing, ...container }
    }
    return warnings
  })

const loadDocument = (
  target: string,
  limits: { readonly timeoutMs: number; readonly maxBytes: number },
  warnings: Array<SpecProblem>
): Effect.Effect<unknown> => {
  const text = isHttpUrl(target)
    ? Effect.map(fetchSpec(target, limits), (result) => result.text)
    : Effect.tryPromise({ try: () => readFile(target, "utf8"), catch: (cause) => cause })
  return text.pipe(
    Effect.flatMap((body) => parseDocumentText(body, target)),
    Effect.catchAll((error) => {
      warnings.push({
        code: "unresolved-external-ref",
        severity: "warning",
        pointer: "",
        message: `Reading the referenced document ${target} failed (${messageOf(error)}); operations that use it are not usable`
      })
      return Effect.succeed(undefined)
    })
  )
}

const absoluteTarget = (file: string, base: string): string => {
  if (file === "") return base
  if (isHttpUrl(file)) return file
  if (file.startsWith("file:")) return fileURLToPath(file)
  if (isHttpUrl(base)) return new URL(file, base).href
  return resolvePath(dirname(base), file)
}

const decodeFragment = (fragment: string): string => {
  try {
    return decodeURIComponent(fragment)
  } catch {
    return fragment
  }
}

const uniqueName = (wanted: string, used: Set<string>): string => {
  const base = wanted === "" ? "external" : wanted
  let name = base
  for (let n = 2; used.has(name); n++) name = `${base}_${n}`
  used.add(name)
  return name
}
