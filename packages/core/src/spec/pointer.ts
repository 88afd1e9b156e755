/** JSON pointer helpers (RFC 6901) and small type guards shared by the spec modules. */

export type JsonObject = { readonly [key: string]: unknown }

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Escapes one reference token for a JSON pointer. */
export const escapeToken = (token: string): string => {
  if (token.includes("~")) return token.replaceAll("~", "~0").replaceAll("/", "~1")
  return token.includes("/") ? token.replaceAll("/", "~1") : token
}

const unescapeToken = (token: string): string =>
  token.includes("~") ? token.replace(/~1/g, "/").replace(/~0/g, "~") : token

/** Appends tokens to a JSON pointer. */
export const childPointer = (pointer: string, ...tokens: ReadonlyArray<string | number>): string => {
  let out = pointer
  for (const token of tokens) out += `/${escapeToken(String(token))}`
  return out
}

/**
 * Returns the JSON pointer of a same-document reference such as `#/components/schemas/Pet`, with URI
 * percent-escapes decoded, or `undefined` when the reference points into another document or is
 * malformed.
 */
export const localRefPointer = (ref: string): string | undefined => {
  if (!ref.startsWith("#")) return undefined
  const fragment = ref.slice(1)
  if (fragment !== "" && !fragment.startsWith("/")) return undefined
  if (!fragment.includes("%")) return fragment
  try {
    return decodeURIComponent(fragment)
  } catch {
    return undefined
  }
}

/** Resolves a JSON pointer in a document; `undefined` when any step is missing. */
export const resolvePointer = (document: unknown, pointer: string): unknown => {
  if (pointer === "") return document
  let current: unknown = document
  const tokens = pointer.slice(1).split("/")
  for (const raw of tokens) {
    const token = unescapeToken(raw)
    if (Array.isArray(current)) {
      const index = Number(token)
      if (!Number.isInteger(index) || index < 0 || index >= current.length) return undefined
      current = current[index]
    } else if (isObject(current)) {
      if (!Object.hasOwn(current, token)) return undefined
      current = current[token]
    } else {
      return undefined
    }
  }
  return current
}

/** Last token of a JSON pointer, unescaped. */
export const lastToken = (pointer: string): string =>
  unescapeToken(pointer.slice(pointer.lastIndexOf("/") + 1))
