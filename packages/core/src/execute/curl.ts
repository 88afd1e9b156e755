/**
 * A curl command line that sends a recorded request again, for findings.
 */
import type { RecordedRequest } from "./Exchange.js"

/** Quotes a word for a POSIX shell: single quotes, with each `'` written as `'\''`. */
export const shellQuote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`

// curl computes these itself from the body it sends; a recorded value would be wrong or stale.
const skippedHeaders = new Set(["content-length", "host", "transfer-encoding", "connection"])

const noteFor = (request: RecordedRequest): string | undefined => {
  const contentType = (request.headers["content-type"] ?? "").toLowerCase()
  if (contentType.startsWith("multipart/")) {
    return "multipart body not included: add one -F 'name=value' per part listed in the recorded body"
  }
  if (request.body?.startsWith("<binary, ") === true)
    return "binary body not included: add --data-binary @FILE"
  if (request.bodyTruncated === true) return "body truncated in the record: the command sends only its start"
  return undefined
}

/**
 * Renders a recorded request as a one-line curl command for a POSIX shell. Masked secrets stay
 * `***` for the reader to fill in; a multipart or binary body is replaced by a trailing note.
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
  const command = words.join(" ")
  return note === undefined ? command : `${command} # ${note.replace(/[\r\n]+/g, " ")}`
}
