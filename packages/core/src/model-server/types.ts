/** Request, response and fault shapes of the local OpenAI-compatible model server. */

/** A JSON Schema object as a chat request carries it. */
export type JsonSchemaObject = { readonly [keyword: string]: unknown }

/** One chat message as the Chat Completions API receives it; content parts are read as text. */
export interface ChatMessage {
  readonly role: string
  readonly content?: string | ReadonlyArray<{ readonly type: string; readonly text?: string }> | null
  readonly name?: string
  readonly tool_calls?: ReadonlyArray<unknown>
  readonly tool_call_id?: string
}

/** The `response_format` field of a chat request. */
export type ResponseFormat =
  | { readonly type: "text" }
  | { readonly type: "json_object" }
  | {
      readonly type: "json_schema"
      readonly json_schema: {
        readonly name: string
        readonly schema?: JsonSchemaObject
        readonly strict?: boolean | null
        readonly description?: string
      }
    }

/** One function tool of a chat request. */
export interface ChatTool {
  readonly type: "function"
  readonly function: {
    readonly name: string
    readonly description?: string
    readonly parameters?: JsonSchemaObject
    readonly strict?: boolean | null
  }
}

/** The body of `POST /v1/chat/completions`, with the fields this server reads. */
export interface ChatRequest {
  readonly model: string
  readonly messages: ReadonlyArray<ChatMessage>
  readonly response_format?: ResponseFormat
  readonly tools?: ReadonlyArray<ChatTool>
  readonly tool_choice?:
    | "none"
    | "auto"
    | "required"
    | { readonly type: "function"; readonly function: { readonly name: string } }
  readonly stream?: boolean | null
  readonly stream_options?: { readonly include_usage?: boolean } | null
  readonly max_tokens?: number | null
  readonly max_completion_tokens?: number | null
  readonly temperature?: number | null
  readonly [field: string]: unknown
}

/**
 * What a script returns for one request: raw text (which may be broken JSON on purpose), a JSON value
 * to serialize, or a raw HTTP response (`body` is sent as is when it is a string, else as JSON).
 */
export type ScriptedAnswer =
  | { readonly content: string }
  | { readonly json: unknown }
  | { readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> }

/** Names of the faults the server can inject. */
export type FaultName =
  | "latency"
  | "rate_limit"
  | "server_error"
  | "hang"
  | "truncated_json"
  | "invalid_json"
  | "wrong_schema"
  | "reject_json_schema"

export const faultNames: ReadonlyArray<FaultName> = [
  "latency",
  "rate_limit",
  "server_error",
  "hang",
  "truncated_json",
  "invalid_json",
  "wrong_schema",
  "reject_json_schema"
]

/** A fault to inject into chat completions. */
export interface Fault {
  readonly name: FaultName
  /** Number of affected requests before the server responds normally again; every request when absent. */
  readonly times?: number
  /** Seconds sent in the `Retry-After` header of `rate_limit` responses; 1 when absent. */
  readonly retryAfterSeconds?: number
  /** Delay of `latency` responses in milliseconds; the server's `latencyMs` when absent. */
  readonly latencyMs?: number
}

/** Options of `startModelServer`. */
export interface ModelServerOptions {
  /** TCP port; 0 (the default) lets the system pick a free one. */
  readonly port?: number
  /** Listen address; only loopback is supported. */
  readonly host?: "127.0.0.1"
  /** Delay before every chat completion response, in milliseconds; 0 when absent. */
  readonly latencyMs?: number
  readonly fault?: Fault | FaultName
  /** Answers chat completions in place of the built-in model. */
  readonly script?: (request: ChatRequest) => ScriptedAnswer | Promise<ScriptedAnswer>
  /** Ids listed by `GET /v1/models`; `["qawave-local"]` when absent. */
  readonly models?: ReadonlyArray<string>
  /** When set, every request needs `Authorization: Bearer <apiKey>` or gets a 401. */
  readonly apiKey?: string
}

/** One request the server received, kept for tests. */
export interface RecordedChatRequest {
  readonly method: string
  /** Path without the query string, such as `/v1/chat/completions`. */
  readonly path: string
  /** Request headers, names in lowercase; `authorization` is kept so tests can check it. */
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON body, or `undefined` when there was none or it was not JSON. */
  readonly body: ChatRequest | undefined
  /** The fault applied to this request, if any. */
  readonly fault: FaultName | undefined
}

/** A running local model server. */
export interface ModelServer {
  /** Base URL for OpenAI clients, such as `http://127.0.0.1:50123/v1`. */
  readonly baseUrl: string
  readonly port: number
  /** Ends hanging and pending requests, closes every connection and frees the port. */
  readonly close: () => Promise<void>
  /** Every request received so far, oldest first. */
  readonly requests: ReadonlyArray<RecordedChatRequest>
  /** Sets the fault for the next requests, or clears it with `undefined`. */
  readonly setFault: (fault: Fault | FaultName | undefined) => void
  /** Sets the delay before every chat completion response, in milliseconds. */
  readonly setLatencyMs: (latencyMs: number) => void
}
