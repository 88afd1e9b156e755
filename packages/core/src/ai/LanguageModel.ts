/**
 * The `LanguageModel` port: one chat completion whose output must satisfy a JSON schema. The `openai`
 * layer lives in `OpenAiLanguageModel.ts`; `LanguageModel.layerScripted` is the test double.
 */
import { Context, Data, type Effect, Layer } from "effect"

/** A JSON Schema (2020-12) object that the model output must satisfy. */
export type JsonSchemaObject = { readonly [keyword: string]: unknown }

/** Structured-output mechanism used for a request: `response_format` type, or a forced tool call. */
export type StructuredOutputMode = "json_schema" | "json_object" | "tool"

/** One chat message. */
export interface ChatMessage {
  readonly role: "system" | "user" | "assistant"
  readonly content: string
}

/** One completion to run. */
export interface CompletionRequest {
  readonly messages: ReadonlyArray<ChatMessage>
  /** Schema of the model output; `name` must match `^[a-zA-Z0-9_-]{1,64}$` for OpenAI's API. */
  readonly schema: { readonly name: string; readonly schema: JsonSchemaObject }
  /** Upper bound on completion tokens. */
  readonly maxTokens?: number
  readonly temperature?: number
}

/** Token counts as the provider reports them; 0 when it reports none. */
export interface TokenUsage {
  readonly promptTokens: number
  readonly completionTokens: number
}

/** A completion whose output parsed as JSON and satisfied the request's schema. */
export interface CompletionResponse {
  /** The parsed output, valid against the request's schema. */
  readonly value: unknown
  /** The output text as the model wrote it. */
  readonly raw: string
  readonly usage: TokenUsage
  /** The model that produced the output, as the provider names it. */
  readonly model: string
  readonly mode: StructuredOutputMode
}

/** Cause category of a failed completion. */
export type LanguageModelErrorReason =
  | "RateLimited"
  | "ServerError"
  | "Timeout"
  | "InvalidJson"
  | "SchemaMismatch"
  | "Rejected"
  | "Network"
  | "Unauthorized"

/** A failed completion; `raw` contains the output text for `InvalidJson` and `SchemaMismatch`. */
export class LanguageModelError extends Data.TaggedError("LanguageModelError")<{
  readonly reason: LanguageModelErrorReason
  readonly message: string
  /** How long the provider asked to wait before the next request, in milliseconds (`RateLimited`). */
  readonly retryAfterMs?: number | undefined
  /** HTTP status of the provider's response, when there was one. */
  readonly status?: number | undefined
  /** The output text that failed to parse or validate, so a caller can feed the error back. */
  readonly raw?: string | undefined
  readonly cause?: unknown
}> {}

/** The service behind the `LanguageModel` tag. */
export interface LanguageModelService {
  /** Runs one completion and returns the output parsed and validated against `request.schema`. */
  readonly complete: (request: CompletionRequest) => Effect.Effect<CompletionResponse, LanguageModelError>
}

/** Port for one chat completion with a JSON-schema-constrained output. */
export class LanguageModel extends Context.Tag("@qawave/core/LanguageModel")<
  LanguageModel,
  LanguageModelService
>() {
  /** Builds a layer whose completions come from `answer`, for tests and demos without a model. */
  static layerScripted(
    answer: (request: CompletionRequest) => Effect.Effect<CompletionResponse, LanguageModelError>
  ): Layer.Layer<LanguageModel> {
    return Layer.succeed(LanguageModel, LanguageModel.of({ complete: answer }))
  }
}
