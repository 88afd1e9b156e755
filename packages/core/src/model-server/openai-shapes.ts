/** Writers of the OpenAI wire shapes: errors, completions, stream chunks and the model list. */
import type { ServerResponse } from "node:http"

/** The JSON body of an OpenAI error response. */
export const errorBody = (
  message: string,
  type: string,
  code: string | null,
  param: string | null = null
) => ({
  error: { message, type, param, code }
})

/** Sends `body` as JSON with `status` and extra headers, unless the client has gone. */
export const sendJson = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {}
): void => {
  if (response.destroyed || response.writableEnded) return
  if (response.headersSent) {
    // A stream already started cannot carry an error status, so the client sees a cut connection.
    response.destroy()
    return
  }
  const text = typeof body === "string" ? body : JSON.stringify(body)
  response.writeHead(status, {
    "content-type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers
  })
  response.end(text)
}

/** Token counts of one completion. */
export interface Usage {
  readonly prompt_tokens: number
  readonly completion_tokens: number
  readonly total_tokens: number
}

/** One completion ready to send: its text, and the tool it calls when the request asked for a tool call. */
export interface Completion {
  readonly id: string
  readonly model: string
  readonly createdSeconds: number
  readonly text: string
  readonly toolName: string | undefined
  readonly toolCallId: string
  readonly usage: Usage
}

/** Returns a `chat.completion` object. */
export const completionBody = (completion: Completion) => {
  const message =
    completion.toolName === undefined
      ? { role: "assistant", content: completion.text, refusal: null }
      : {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [
            {
              id: completion.toolCallId,
              type: "function",
              function: { name: completion.toolName, arguments: completion.text }
            }
          ]
        }
  return {
    id: completion.id,
    object: "chat.completion",
    created: completion.createdSeconds,
    model: completion.model,
    system_fingerprint: "qawave-local",
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: completion.toolName === undefined ? "stop" : "tool_calls"
      }
    ],
    usage: completion.usage
  }
}

/** Characters per streamed content delta. */
const pieceLength = 24

const pieces = (text: string): ReadonlyArray<string> => {
  const result: Array<string> = []
  for (let start = 0; start < text.length; start += pieceLength)
    result.push(text.slice(start, start + pieceLength))
  return result
}

/**
 * Returns the `chat.completion.chunk` objects of a streamed completion: a role delta, content (or tool
 * argument) deltas, a finish chunk, and, when `includeUsage`, a last chunk with no choices and the usage.
 */
export const streamChunks = (completion: Completion, includeUsage: boolean): ReadonlyArray<unknown> => {
  const chunk = (delta: unknown, finishReason: string | null) => ({
    id: completion.id,
    object: "chat.completion.chunk",
    created: completion.createdSeconds,
    model: completion.model,
    system_fingerprint: "qawave-local",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }]
  })
  const chunks: Array<unknown> = []
  if (completion.toolName === undefined) {
    chunks.push(chunk({ role: "assistant", content: "" }, null))
    for (const piece of pieces(completion.text)) chunks.push(chunk({ content: piece }, null))
    chunks.push(chunk({}, "stop"))
  } else {
    const call = {
      index: 0,
      id: completion.toolCallId,
      type: "function",
      function: { name: completion.toolName, arguments: "" }
    }
    chunks.push(chunk({ role: "assistant", content: null, tool_calls: [call] }, null))
    for (const piece of pieces(completion.text)) {
      chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null))
    }
    chunks.push(chunk({}, "tool_calls"))
  }
  if (includeUsage) {
    chunks.push({
      id: completion.id,
      object: "chat.completion.chunk",
      created: completion.createdSeconds,
      model: completion.model,
      system_fingerprint: "qawave-local",
      choices: [],
      usage: completion.usage
    })
  }
  return chunks
}

/** Sends a completion as server-sent events, ending with `data: [DONE]`. */
export const sendStream = (response: ServerResponse, chunks: ReadonlyArray<unknown>): void => {
  if (response.destroyed || response.writableEnded) return
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive"
  })
  for (const chunk of chunks) response.write(`data: ${JSON.stringify(chunk)}\n\n`)
  response.end("data: [DONE]\n\n")
}

/** Returns the `GET /v1/models` list. */
export const modelListBody = (models: ReadonlyArray<string>) => ({
  object: "list",
  data: models.map(modelBody)
})

/** Returns one model object. */
export const modelBody = (id: string) => ({ id, object: "model", created: 0, owned_by: "qawave" })
