/**
 * A local OpenAI-compatible server on `node:http`, for tests, demos, benchmarks and offline use. It
 * serves `GET /v1/models` and `POST /v1/chat/completions`, responds from a script or the deterministic
 * built-in model, and injects faults on demand.
 */
import { timingSafeEqual } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { builtinAnswer, estimateTokens, promptText, toolCallName, wrongSchemaAnswer } from "./chat-answer.js"
import { FaultSchedule, parseFaultName } from "./faults.js"
import {
  type Completion,
  completionBody,
  errorBody,
  modelBody,
  modelListBody,
  sendJson,
  sendStream,
  streamChunks
} from "./openai-shapes.js"
import type {
  ChatRequest,
  Fault,
  FaultName,
  ModelServer,
  ModelServerOptions,
  RecordedChatRequest,
  ScriptedAnswer
} from "./types.js"

/** Largest request body accepted, in bytes. */
const maxBodyBytes = 10 * 1024 * 1024

/** Text of the `invalid_json` fault: prose around a JSON fragment, as chatty models write. */
const invalidJsonText = "Sure! Here is the value you asked for: {name: 'example', steps: [ ... ]"

interface ServerState {
  readonly options: ModelServerOptions
  readonly models: ReadonlyArray<string>
  readonly faults: FaultSchedule
  readonly requests: Array<RecordedChatRequest>
  /** Aborted when the server closes, so pending delays and hanging requests end. */
  readonly closing: AbortController
  latencyMs: number
  completionCount: number
}

/** Starts a local OpenAI-compatible server on 127.0.0.1 and resolves once it listens. */
export const startModelServer = (options: ModelServerOptions = {}): Promise<ModelServer> => {
  const state: ServerState = {
    options,
    models: options.models ?? ["qawave-local"],
    faults: new FaultSchedule(options.fault),
    requests: [],
    closing: new AbortController(),
    latencyMs: options.latencyMs ?? 0,
    completionCount: 0
  }
  const server = createServer((request, response) => {
    handle(state, request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error)
      sendJson(
        response,
        500,
        errorBody(`The model server failed: ${message}`, "server_error", "server_error")
      )
    })
  })
  const host = options.host ?? "127.0.0.1"
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject)
      const port = (server.address() as AddressInfo).port
      resolve({
        baseUrl: `http://${host}:${port}/v1`,
        port,
        requests: state.requests,
        setFault: (fault) => state.faults.set(fault),
        setLatencyMs: (latencyMs) => {
          state.latencyMs = latencyMs
        },
        close: () => closeServer(state, server)
      })
    })
  })
}

const closeServer = (state: ServerState, server: ReturnType<typeof createServer>): Promise<void> =>
  new Promise((resolve, reject) => {
    state.closing.abort()
    server.close((error) => (error === undefined ? resolve() : reject(error)))
    // Hanging requests keep their sockets open; close them so `close` resolves and frees the port.
    server.closeAllConnections()
  })

const handle = async (
  state: ServerState,
  request: IncomingMessage,
  response: ServerResponse
): Promise<void> => {
  const method = request.method ?? "GET"
  const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname.replace(/\/+$/, "")
  const headers = headerRecord(request)
  if (!isAuthorized(state, headers.authorization)) {
    await drain(request)
    state.requests.push({ method, path, headers, body: undefined, fault: undefined })
    return sendJson(
      response,
      401,
      errorBody("Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
    )
  }
  if (method === "GET" && path === "/v1/models") {
    state.requests.push({ method, path, headers, body: undefined, fault: undefined })
    return sendJson(response, 200, modelListBody(state.models))
  }
  if (method === "GET" && path.startsWith("/v1/models/")) {
    state.requests.push({ method, path, headers, body: undefined, fault: undefined })
    const id = decodeURIComponent(path.slice("/v1/models/".length))
    return state.models.includes(id)
      ? sendJson(response, 200, modelBody(id))
      : sendJson(
          response,
          404,
          errorBody(`The model '${id}' does not exist.`, "invalid_request_error", "model_not_found")
        )
  }
  if (method === "POST" && path === "/v1/chat/completions") {
    return handleChatCompletion(state, request, response, method, path, headers)
  }
  await drain(request)
  state.requests.push({ method, path, headers, body: undefined, fault: undefined })
  sendJson(
    response,
    404,
    errorBody(`Unknown request URL: ${method} ${path}.`, "invalid_request_error", "unknown_url")
  )
}

const headerRecord = (request: IncomingMessage): Record<string, string> => {
  const record: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) record[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return record
}

const isAuthorized = (state: ServerState, authorization: string | undefined): boolean => {
  if (state.options.apiKey === undefined) return true
  const expected = Buffer.from(`Bearer ${state.options.apiKey}`)
  const given = Buffer.from(authorization ?? "")
  return given.length === expected.length && timingSafeEqual(given, expected)
}

const drain = (request: IncomingMessage): Promise<void> =>
  new Promise((resolve) => {
    request.resume()
    request.once("end", resolve)
    request.once("error", () => resolve())
  })

const readBody = (request: IncomingMessage): Promise<string | undefined> =>
  new Promise((resolve) => {
    const chunks: Array<Buffer> = []
    let size = 0
    request.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBodyBytes) chunks.push(chunk)
    })
    request.once("end", () =>
      resolve(size > maxBodyBytes ? undefined : Buffer.concat(chunks).toString("utf8"))
    )
    request.once("error", () => resolve(undefined))
  })

/** Parses and checks the fields every chat request needs; returns the error text when invalid. */
const parseChatRequest = (text: string | undefined): ChatRequest | string => {
  if (text === undefined) return `The request body is larger than ${maxBodyBytes} bytes or could not be read.`
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return "The request body is not valid JSON."
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "The request body must be a JSON object."
  }
  const body = value as Record<string, unknown>
  if (typeof body.model !== "string") return "Missing required parameter: 'model'."
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return "Missing required parameter: 'messages' must be a non-empty array."
  }
  return body as ChatRequest
}

/** Resolves after `ms` milliseconds, or early with `false` when `signal` aborts. */
const delay = (ms: number, signal: AbortSignal): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(false)
    if (ms <= 0) return resolve(true)
    const onAbort = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort)
      resolve(true)
    }, ms)
    signal.addEventListener("abort", onAbort, { once: true })
  })

/** The fault for one request: the `x-qawave-fault` header wins over the server's schedule. */
const faultFor = (
  state: ServerState,
  headerValue: string | undefined,
  body: ChatRequest
): Fault | string | undefined => {
  const applies = (name: FaultName) =>
    name !== "reject_json_schema" || body.response_format?.type === "json_schema"
  if (headerValue !== undefined) {
    const name = parseFaultName(headerValue)
    if (name === undefined) return `Unknown fault '${headerValue}' in the x-qawave-fault header.`
    return applies(name) ? { name } : undefined
  }
  return state.faults.take(applies)
}

const handleChatCompletion = async (
  state: ServerState,
  request: IncomingMessage,
  response: ServerResponse,
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>
): Promise<void> => {
  const body = parseChatRequest(await readBody(request))
  if (typeof body === "string") {
    state.requests.push({ method, path, headers, body: undefined, fault: undefined })
    return sendJson(response, 400, errorBody(body, "invalid_request_error", "invalid_request"))
  }
  const fault = faultFor(state, headers["x-qawave-fault"], body)
  if (typeof fault === "string") {
    state.requests.push({ method, path, headers, body, fault: undefined })
    return sendJson(response, 400, errorBody(fault, "invalid_request_error", "unknown_fault"))
  }
  state.requests.push({ method, path, headers, body, fault: fault?.name })

  // One signal for "stop working on this request": the client went away or the server is closing.
  const requestEnded = new AbortController()
  response.once("close", () => requestEnded.abort())
  const signal = AbortSignal.any([requestEnded.signal, state.closing.signal])

  const latencyMs = fault?.name === "latency" ? (fault.latencyMs ?? state.latencyMs) : state.latencyMs
  if (!(await delay(latencyMs, signal))) return
  if (fault?.name === "hang") return // Never respond. `close()` or the client's abort ends the socket.
  if (answerFault(response, fault)) return

  const text = await answerText(state, body, response)
  if (text === undefined || signal.aborted) return
  sendCompletion(state, response, body, applyContentFault(fault, text, body))
}

/** Sends the error of a fault that replaces the completion, and returns whether it sent one. */
const answerFault = (response: ServerResponse, fault: Fault | undefined): boolean => {
  switch (fault?.name) {
    case "rate_limit": {
      const seconds = fault.retryAfterSeconds ?? 1
      sendJson(
        response,
        429,
        errorBody(
          `Rate limit reached for requests. Please try again in ${seconds}s.`,
          "requests",
          "rate_limit_exceeded"
        ),
        { "retry-after": String(seconds) }
      )
      return true
    }
    case "server_error":
      sendJson(
        response,
        500,
        errorBody("The server had an error while processing your request.", "server_error", null)
      )
      return true
    case "reject_json_schema":
      sendJson(
        response,
        400,
        errorBody(
          "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
          "invalid_request_error",
          "unsupported_parameter",
          "response_format"
        )
      )
      return true
    default:
      return false
  }
}

const applyContentFault = (fault: Fault | undefined, text: string, body: ChatRequest): string => {
  switch (fault?.name) {
    case "truncated_json":
      return text.slice(0, Math.floor(text.length / 2))
    case "invalid_json":
      return invalidJsonText
    case "wrong_schema":
      return wrongSchemaAnswer(body)
    default:
      return text
  }
}

/** Returns the completion text, or `undefined` after sending a raw scripted response or a script failure. */
const answerText = async (
  state: ServerState,
  body: ChatRequest,
  response: ServerResponse
): Promise<string | undefined> => {
  const script = state.options.script
  if (script === undefined) return builtinAnswer(body)
  let answer: ScriptedAnswer
  try {
    answer = await script(body)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    sendJson(response, 500, errorBody(`The script failed: ${message}`, "server_error", "script_failed"))
    return undefined
  }
  if ("status" in answer) {
    sendJson(response, answer.status, answer.body, answer.headers)
    return undefined
  }
  return "content" in answer ? answer.content : JSON.stringify(answer.json)
}

const sendCompletion = (
  state: ServerState,
  response: ServerResponse,
  body: ChatRequest,
  text: string
): void => {
  state.completionCount += 1
  const promptTokens = estimateTokens(promptText(body))
  const completionTokens = estimateTokens(text)
  const completion: Completion = {
    id: `chatcmpl-qawave-${state.completionCount}`,
    model: body.model,
    createdSeconds: Math.floor(Date.now() / 1000),
    text,
    toolName: toolCallName(body),
    toolCallId: `call_qawave_${state.completionCount}`,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens
    }
  }
  if (body.stream === true) {
    sendStream(response, streamChunks(completion, body.stream_options?.include_usage === true))
  } else {
    sendJson(response, 200, completionBody(completion))
  }
}
