/**
 * Reads the operation that a QAWave prompt describes, so the built-in model can fill scenario fields
 * (method, path, expected status, names) with values that fit the operation instead of filler text.
 *
 * It reads two forms of user message. The first is a message that is, or contains a fenced ```json
 * block that is, a JSON object with an `operation` object field. The second is QAWave's prompt text,
 * where an operation starts with a line such as `POST /pets`, followed by `operationId: …`,
 * `summary: …` and, unindented, one line per response that starts with its status.
 */
import type { ChatMessage } from "./types.js"

/** The parts of an operation that the built-in model uses. */
export interface OperationHint {
  /** Uppercase HTTP method, such as `POST`. */
  readonly method: string | undefined
  /** Path template, such as `/pets/{petId}`. */
  readonly path: string | undefined
  readonly operationId: string | undefined
  readonly summary: string | undefined
  /** Numeric response codes the operation declares, in document order. */
  readonly statuses: ReadonlyArray<number>
}

const fencedJson = /```(?:json)?\s*\n([\s\S]*?)```/g

const messageText = (message: ChatMessage): string => {
  if (typeof message.content === "string") return message.content
  if (Array.isArray(message.content)) return message.content.map((part) => part.text ?? "").join("\n")
  return ""
}

const parseObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Returns the JSON objects written in a message: the whole text, else each fenced JSON block. */
export const jsonObjectsInText = (text: string): ReadonlyArray<Record<string, unknown>> => {
  const whole = parseObject(text.trim())
  if (whole !== undefined) return [whole]
  const objects: Array<Record<string, unknown>> = []
  for (const match of text.matchAll(fencedJson)) {
    const parsed = parseObject(match[1] ?? "")
    if (parsed !== undefined) objects.push(parsed)
  }
  return objects
}

const optionalString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

const declaredStatuses = (responses: unknown): ReadonlyArray<number> => {
  const codes: Array<unknown> = Array.isArray(responses)
    ? responses.map((response) =>
        typeof response === "object" && response !== null
          ? (response as { status?: unknown }).status
          : response
      )
    : typeof responses === "object" && responses !== null
      ? Object.keys(responses)
      : []
  return codes
    .map((code) => Number(code))
    .filter((code) => Number.isInteger(code) && code >= 100 && code < 600)
}

const operationFromJson = (text: string): OperationHint | undefined => {
  for (const object of jsonObjectsInText(text)) {
    const operation = object.operation
    if (typeof operation !== "object" || operation === null || Array.isArray(operation)) continue
    const fields = operation as Record<string, unknown>
    return {
      method: optionalString(fields.method)?.toUpperCase(),
      path: optionalString(fields.path),
      operationId: optionalString(fields.operationId) ?? optionalString(fields.id),
      summary: optionalString(fields.summary),
      statuses: declaredStatuses(fields.responses)
    }
  }
  return undefined
}

/** A line that starts an operation in QAWave's prompt text: an uppercase method and a path. */
const operationLine = /^(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) (\/\S*)$/m

const labelledLine = (block: string, label: string): string | undefined =>
  new RegExp(`^${label}: (.+)$`, "m").exec(block)?.[1]

/** Reads the first operation of QAWave's prompt text, up to the next operation line. */
const operationFromText = (text: string): OperationHint | undefined => {
  const start = operationLine.exec(text)
  if (start === null) return undefined
  const rest = text.slice(start.index + start[0].length)
  const next = operationLine.exec(rest)
  const block = next === null ? rest : rest.slice(0, next.index)
  const statuses = [...block.matchAll(/^([1-5][0-9][0-9])(?=[ :]|$)/gm)].map((match) => Number(match[1]))
  return {
    method: start[1],
    path: start[2],
    operationId: labelledLine(block, "operationId"),
    summary: labelledLine(block, "summary"),
    statuses
  }
}

/** Finds the first operation described in the user messages, if any. */
export const operationHintFromMessages = (
  messages: ReadonlyArray<ChatMessage>
): OperationHint | undefined => {
  for (const message of messages) {
    if (message.role !== "user") continue
    const text = messageText(message)
    const operation = operationFromJson(text) ?? operationFromText(text)
    if (operation !== undefined) return operation
  }
  return undefined
}

/** Preferred status for an expectation: the first declared 2xx, else the first declared code. */
const expectedStatus = (hint: OperationHint): number | undefined =>
  hint.statuses.find((status) => status >= 200 && status < 300) ?? hint.statuses[0]

/**
 * Returns a value for a property named `propertyName` taken from the operation, or `undefined` when the
 * name means nothing to the operation. `ordinal` distinguishes several objects of one response.
 */
export const hintedPropertyValue = (
  hint: OperationHint,
  propertyName: string,
  ordinal: number
): string | number | undefined => {
  const label = hint.summary ?? `${hint.method ?? "call"} ${hint.path ?? "/"}`
  switch (propertyName) {
    case "method":
      return hint.method
    case "path":
      return hint.path
    case "operationId":
      return hint.operationId
    case "name":
    case "title":
      return `${label} (case ${ordinal})`
    case "description":
      return `Sends ${hint.method ?? "a request"} ${hint.path ?? ""} and checks the declared response.`.replace(
        "  ",
        " "
      )
    case "status":
    case "statusCode":
    case "expectedStatus":
      return expectedStatus(hint)
    default:
      return undefined
  }
}
