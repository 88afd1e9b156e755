import { hash } from "node:crypto"

/** JSON text with object keys sorted, so that equal values always give equal text. */
export const canonicalJson = (value: unknown): string => {
  const parts: Array<string> = []
  writeCanonical(value, parts)
  return parts.join("")
}

const writeCanonical = (value: unknown, parts: Array<string>): void => {
  if (value === null || typeof value !== "object") {
    // `undefined` and functions have no JSON form; they are written as null like JSON.stringify in arrays.
    parts.push(JSON.stringify(value) ?? "null")
    return
  }
  if (Array.isArray(value)) {
    parts.push("[")
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(",")
      writeCanonical(value[i], parts)
    }
    parts.push("]")
    return
  }
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort()
  parts.push("{")
  let first = true
  for (const key of keys) {
    const item = record[key]
    if (item === undefined) continue
    if (!first) parts.push(",")
    first = false
    parts.push(JSON.stringify(key), ":")
    writeCanonical(item, parts)
  }
  parts.push("}")
}

/** Hex SHA-256 of a string (as UTF-8) or of bytes. */
export const sha256 = (data: string | Uint8Array): string => hash("sha256", data, "hex")
