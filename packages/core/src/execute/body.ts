/**
 * Request body encoding by media type: JSON, form-urlencoded, multipart, text and raw binary.
 */
import { Either } from "effect"
import { FormData } from "undici"
import type { RequestBodyValue } from "../scenario/Scenario.js"
import type { JsonSchema, MediaType, Operation, SchemaDefinitions } from "../spec/model.js"
import { EncodingError } from "./EncodingError.js"
import type { RecordedPart } from "./Exchange.js"
import { checkWellFormed, serializeQuery, toText } from "./style.js"

/** An encoded body with the content type to send; multipart leaves it to undici, which adds the boundary. */
export interface EncodedBody {
  readonly body: string | Uint8Array | FormData
  readonly bodyText: string
  readonly contentType?: string
  /** The parts of a multipart body, for the record. */
  readonly parts?: ReadonlyArray<RecordedPart>
}

type SchemaObject = { readonly [keyword: string]: unknown }

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)

const resolve = (
  schema: JsonSchema | undefined,
  definitions: SchemaDefinitions | undefined
): SchemaObject => {
  let current: unknown = schema
  // A chain of `$ref`s longer than a few steps is a cycle or an unusual spec; stop there.
  for (let depth = 0; depth < 8 && isPlainObject(current); depth++) {
    const ref = current.$ref
    if (typeof ref !== "string" || !ref.startsWith("#/$defs/") || definitions === undefined) break
    current = definitions.get(decodeURIComponent(ref.slice("#/$defs/".length)))
  }
  return isPlainObject(current) ? current : {}
}

const propertySchema = (schema: SchemaObject, name: string, definitions: SchemaDefinitions | undefined) => {
  const properties = schema.properties
  return resolve(
    isPlainObject(properties) ? (properties[name] as JsonSchema | undefined) : undefined,
    definitions
  )
}

const isBinarySchema = (schema: SchemaObject): boolean =>
  schema.format === "binary" || typeof schema.contentMediaType === "string"

const baseMediaType = (mediaType: string): string => (mediaType.split(";")[0] ?? "").trim().toLowerCase()

const isJsonType = (base: string): boolean => base === "application/json" || base.endsWith("+json")

const invalidBody = (mediaType: string, message: string, parameter?: string) =>
  new EncodingError({
    location: "body",
    ...(parameter === undefined ? {} : { parameter }),
    message: `Cannot encode the request body as ${mediaType}: ${message}`
  })

const describeBinary = (bytes: number) => `<binary, ${bytes} bytes>`

const encodeJson = (
  mediaType: string,
  value: unknown
): Either.Either<EncodedBody | undefined, EncodingError> =>
  Either.flatMap(
    Either.try({
      try: () => JSON.stringify(value) as string | undefined,
      catch: (cause) => invalidBody(mediaType, `the value is not serializable as JSON (${String(cause)}).`)
    }),
    (text) =>
      text === undefined
        ? Either.right(undefined)
        : Either.right({ body: text, bodyText: text, contentType: mediaType })
  )

const encodeForm = (
  mediaType: string,
  value: unknown,
  media: MediaType | undefined
): Either.Either<EncodedBody, EncodingError> => {
  // A string is sent as it is, so a test can send a malformed form body on purpose.
  if (typeof value === "string") return Either.right({ body: value, bodyText: value, contentType: mediaType })
  if (!isPlainObject(value))
    return Either.left(invalidBody(mediaType, "give an object of properties or a string."))
  const pairs: Array<string> = []
  for (const [name, item] of Object.entries(value)) {
    const encoding = media?.encoding[name]
    const style = encoding?.style ?? "form"
    const rule = {
      name,
      in: "query" as const,
      style,
      explode: encoding?.explode ?? style === "form",
      // NOTE: a literal `+` from allowReserved reads as a space in form bodies; it is encoded anyway.
      allowReserved: encoding?.allowReserved ?? false
    }
    pairs.push(...serializeQuery(rule, item).map((pair) => pair.replaceAll("+", "%2B")))
  }
  const text = pairs.join("&")
  return Either.right({ body: text, bodyText: text, contentType: mediaType })
}

interface Part {
  readonly value: string | Blob
  readonly contentType: string
  readonly text: string
  /** Size of binary content; undefined for text. */
  readonly bytes?: number
}

const partFor = (item: unknown, schema: SchemaObject, contentType: string | undefined): Part => {
  if (item instanceof Blob) {
    const type = item.type !== "" ? item.type : (contentType ?? "application/octet-stream")
    const blob = item.type === type ? item : new Blob([item], { type })
    return { value: blob, contentType: type, text: describeBinary(item.size), bytes: item.size }
  }
  if (item instanceof Uint8Array) {
    const type = contentType ?? "application/octet-stream"
    return {
      value: new Blob([item], { type }),
      contentType: type,
      text: describeBinary(item.byteLength),
      bytes: item.byteLength
    }
  }
  if (typeof item === "string" && isBinarySchema(schema)) {
    const type =
      contentType ??
      (typeof schema.contentMediaType === "string" ? schema.contentMediaType : "application/octet-stream")
    const blob = new Blob([item], { type })
    return { value: blob, contentType: type, text: describeBinary(blob.size), bytes: blob.size }
  }
  const structured = typeof item === "object" && item !== null
  const type = contentType ?? (structured ? "application/json" : "text/plain")
  const text = structured ? (JSON.stringify(item) ?? "") : toText(item)
  // undici's FormData gives a part a content type only when it is a Blob, and then also a filename.
  const value = type === "text/plain" ? text : new Blob([text], { type })
  return { value, contentType: type, text }
}

const encodeMultipart = (
  mediaType: string,
  value: unknown,
  media: MediaType | undefined,
  definitions: SchemaDefinitions | undefined
): Either.Either<EncodedBody, EncodingError> => {
  if (!isPlainObject(value))
    return Either.left(invalidBody(mediaType, "give an object with one property per part."))
  const schema = resolve(media?.schema, definitions)
  const form = new FormData()
  const summary: Array<string> = []
  const parts: Array<RecordedPart> = []
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) continue
    const contentType = media?.encoding[name]?.contentType
    const property = propertySchema(schema, name, definitions)
    // An array becomes one part per item, unless the part is declared as one JSON document.
    const asOne = contentType !== undefined && isJsonType(baseMediaType(contentType))
    const items = Array.isArray(item) && !asOne ? item : [item]
    const itemSchema =
      Array.isArray(item) && !asOne
        ? resolve(property.items as JsonSchema | undefined, definitions)
        : property
    for (const one of items) {
      const part = partFor(one, itemSchema, contentType)
      // NOTE: undici's FormData writes a part's content type only for files. So a Blob part is sent
      // with a filename (the property name), and a server may treat it as a file.
      if (typeof part.value === "string") form.append(name, part.value)
      else form.append(name, part.value, name)
      summary.push(`--part name="${name}"; content-type: ${part.contentType}\n${part.text}`)
      const file = typeof part.value === "string" ? {} : { filename: name }
      const content = part.bytes === undefined ? { text: part.text } : { bytes: part.bytes }
      parts.push({ name, contentType: part.contentType, ...file, ...content })
    }
  }
  return Either.right({ body: form, bodyText: summary.join("\n"), parts })
}

const encodeRaw = (
  mediaType: string,
  base: string,
  value: unknown
): Either.Either<EncodedBody, EncodingError> => {
  if (value instanceof Uint8Array)
    return Either.right({ body: value, bodyText: describeBinary(value.byteLength), contentType: mediaType })
  if (typeof value === "string") return Either.right({ body: value, bodyText: value, contentType: mediaType })
  if (base.startsWith("text/")) {
    const text = toText(value)
    return Either.right({ body: text, bodyText: text, contentType: mediaType })
  }
  return Either.left(
    invalidBody(mediaType, `give a string or a Uint8Array, not a value of type ${typeof value}.`)
  )
}

/**
 * Encodes a step's body by its media type. Returns `undefined` when there is nothing to send (the
 * value is `undefined`).
 */
export const encodeBody = (
  operation: Operation,
  body: RequestBodyValue,
  definitions: SchemaDefinitions | undefined
): Either.Either<EncodedBody | undefined, EncodingError> => {
  const base = baseMediaType(body.mediaType)
  if (body.value === undefined) return Either.right(undefined)
  if (typeof body.value === "string") {
    const checked = checkWellFormed(body.value, "body", "body")
    if (Either.isLeft(checked)) return Either.left(checked.left)
  }
  const media = operation.requestBody?.content.find((candidate) => candidate.mediaType === base)
  if (isJsonType(base)) return encodeJson(body.mediaType, body.value)
  if (base === "application/x-www-form-urlencoded") return encodeForm(body.mediaType, body.value, media)
  if (base === "multipart/form-data") return encodeMultipart(body.mediaType, body.value, media, definitions)
  return encodeRaw(body.mediaType, base, body.value)
}
