/**
 * A curl command line that sends a recorded request again, for findings.
 */
import type { RecordedPart, RecordedRequest } from "./Exchange.js"

/** Quotes a word for a POSIX shell: single quotes, with each `'` written as `'\''`. */
export const shellQuote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`

// curl computes these itself from the body it sends; a recorded value would be wrong or stale.
const skippedHeaders = new Set(["content-length", "host", "transfer-encoding", "connection"])

/** Quotes a value for curl's `-F` syntax, in which `;` and `,` would otherwise end it. */
const formQuote = (text: string): string => `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`

/**
 * Renders one multipart part as curl options. A part without a filename goes as `--form-string`,
 * which sends its text as it is; a part with one keeps its filename and content type. Binary content
 * is not recorded, so it is read from `FILE`.
 */
const partWords = (part: RecordedPart): ReadonlyArray<string> => {
  if (part.filename === undefined && part.bytes === undefined)
    return ["--form-string", shellQuote(`${part.name}=${part.text ?? ""}`)]
  const filename = `filename=${formQuote(part.filename ?? part.name)}`
  const type = `type=${part.contentType}`
  const content = part.bytes === undefined ? formQuote(part.text ?? "") : "@FILE"
  return ["-F", shellQuote(`${part.name}=${content};${filename};${type}`)]
}

const noteFor = (request: RecordedRequest): string | undefined => {
  const contentType = (request.headers["content-type"] ?? "").toLowerCase()
  if (contentType.startsWith("multipart/")) {
    const binary = request.parts?.filter((part) => part.bytes !== undefined) ?? []
    if (request.parts === undefined)
      return "multipart body not included: add one -F 'name=value' per part listed in the recorded body"
    if (binary.length > 0) {
      const listed = binary.map((part) => `${part.name} (${part.bytes} bytes)`).join(", ")
      return `binary content not recorded: replace FILE with a file for ${listed}`
    }
    if (request.bodyTruncated === true)
      return "part text truncated in the record: the command sends only its start"
    return undefined
  }
  if (request.body?.startsWith("<binary, ") === true)
    return "binary body not included: add --data-binary @FILE"
  if (request.bodyTruncated === true) return "body truncated in the record: the command sends only its start"
  return undefined
}

/**
 * Renders a recorded request as a one-line curl command for a POSIX shell. Masked secrets stay
 * `***` for the reader to fill in. Multipart parts become `-F` options; binary content, which the
 * record does not keep, is replaced by a trailing note.
 */
export const toCurl = (request: RecordedRequest): string => {
  const words = ["curl"]
  if (request.method === "HEAD") words.push("--head")
  else words.push("-X", shellQuote(request.method))
  words.push(shellQuote(request.url))
  const contentType = (request.headers["content-type"] ?? "").toLowerCase()
  for (const [name, value] of Object.entries(request.headers)) {
    if (skippedHeaders.has(name)) continue
    // The boundary of a recorded multipart content type would not match the body curl builds.
    if (name === "content-type" && contentType.startsWith("multipart/")) continue
    words.push("-H", shellQuote(`${name}: ${value}`))
  }
  const note = noteFor(request)
  const textBody =
    request.body !== undefined &&
    !contentType.startsWith("multipart/") &&
    !request.body.startsWith("<binary, ")
  if (textBody) words.push("--data-raw", shellQuote(request.body ?? ""))
  if (contentType.startsWith("multipart/"))
    for (const part of request.parts ?? []) words.push(...partWords(part))
  const command = words.join(" ")
  return note === undefined ? command : `${command} # ${note.replace(/[\r\n]+/g, " ")}`
}
