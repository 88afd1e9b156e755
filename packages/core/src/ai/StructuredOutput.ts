/**
 * Structured output over the Chat Completions API: the request body for each mode, and the
 * model output read back, parsed and validated against the schema whatever the mode.
 */
import { Either } from "effect"
import type OpenAI from "openai"
import { compileSchema } from "./JsonSchemaValidator.js"
import {
  type ChatMessage,
  type CompletionRequest,
  LanguageModelError,
  type StructuredOutputMode
} from "./LanguageModel.js"

type ChatCompletionBody = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming

/** Modes in the order `auto` tries them: each is supported by more providers than the one before. */
export const modeOrder: ReadonlyArray<StructuredOutputMode> = ["json_schema", "json_object", "tool"]

/** Returns the mode to try after `mode` was rejected, or `undefined` after the last one. */
export const nextMode = (mode: StructuredOutputMode): StructuredOutputMode | undefined =>
  modeOrder[modeOrder.indexOf(mode) + 1]

/** Turns a schema name into one OpenAI accepts (`^[a-zA-Z0-9_-]{1,64}$`). */
export const schemaName = (name: string): string =>
  name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "answer"

/** Writes the instruction that carries the schema in `json_object` mode. */
export const schemaInstruction = (schema: unknown): string =>
  "Answer with one JSON value that matches this JSON Schema, and with nothing else:\n```json\n" +
  JSON.stringify(schema, null, 2) +
  "\n```"

/** Adds the schema instruction to the leading system message, or adds a system message. */
const withSchemaInstruction = (messages: ReadonlyArray<ChatMessage>, schema: unknown): Array<ChatMessage> => {
  const instruction = schemaInstruction(schema)
  const [first, ...rest] = messages
  if (first?.role === "system")
    return [{ role: "system", content: `${first.content}\n\n${instruction}` }, ...rest]
  return [{ role: "system", content: instruction }, ...messages]
}

/** Builds the Chat Completions body that requests `request.schema` in `mode`. */
export const completionBody = (
  model: string,
  request: CompletionRequest,
  mode: StructuredOutputMode
): ChatCompletionBody => {
  const name = schemaName(request.schema.name)
  const schema = request.schema.schema as Record<string, unknown>
  const base: ChatCompletionBody = {
    model,
    messages:
      mode === "json_object" ? withSchemaInstruction(request.messages, schema) : [...request.messages],
    // NOTE: `max_completion_tokens` is OpenAI's current field; a compatible server that supports only the
    // deprecated `max_tokens` ignores the bound.
    ...(request.maxTokens === undefined ? {} : { max_completion_tokens: request.maxTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature })
  }
  switch (mode) {
    case "json_schema":
      // NOTE: OpenAI's strict mode accepts only schemas whose objects list every property as required
      // and set `additionalProperties: false`. It rejects others with a 400 about `response_format`,
      // which makes `auto` step down to `json_object`.
      return {
        ...base,
        response_format: { type: "json_schema", json_schema: { name, schema, strict: true } }
      }
    case "json_object":
      return { ...base, response_format: { type: "json_object" } }
    case "tool":
      return {
        ...base,
        tools: [
          {
            type: "function",
            function: {
              name,
              description: "Pass the result as this function's arguments.",
              parameters: schema
            }
          }
        ],
        tool_choice: { type: "function", function: { name } }
      }
  }
}

/** Returns the output text of a completion: the tool call's arguments in `tool` mode, else the content. */
export const answerText = (
  completion: OpenAI.Chat.Completions.ChatCompletion,
  mode: StructuredOutputMode
): Either.Either<string, LanguageModelError> => {
  const choice = completion.choices[0]
  if (choice === undefined) {
    return Either.left(
      new LanguageModelError({ reason: "InvalidJson", message: "The completion has no choices.", raw: "" })
    )
  }
  const message = choice.message
  if (typeof message.refusal === "string" && message.refusal.length > 0) {
    return Either.left(
      new LanguageModelError({
        reason: "Rejected",
        message: `The model refused the request: ${message.refusal}`
      })
    )
  }
  const toolCall = message.tool_calls?.find((call) => call.type === "function")
  const text =
    mode === "tool" && toolCall?.type === "function" ? toolCall.function.arguments : message.content
  if (text === null || text === undefined || text.trim() === "") {
    return Either.left(
      new LanguageModelError({
        reason: "InvalidJson",
        message: `The model returned an empty response (finish_reason ${choice.finish_reason}).`,
        raw: text ?? ""
      })
    )
  }
  if (choice.finish_reason === "length") {
    return Either.left(
      new LanguageModelError({
        reason: "InvalidJson",
        message: "The response was cut off at the token limit (finish_reason length).",
        raw: text
      })
    )
  }
  return Either.right(text)
}

/** Drops a Markdown code fence around the whole output, which some models add in `json_object` mode. */
const withoutFence = (text: string): string => {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text)
  return fenced?.[1] ?? text
}

/** Parses `raw` as JSON and validates it against `schema`. */
export const parseAnswer = (
  raw: string,
  schema: CompletionRequest["schema"]
): Either.Either<unknown, LanguageModelError> => {
  let value: unknown
  try {
    value = JSON.parse(withoutFence(raw))
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return Either.left(
      new LanguageModelError({
        reason: "InvalidJson",
        message: `The model response is not valid JSON: ${detail}`,
        raw
      })
    )
  }
  const compiled = compileSchema(schema.schema)
  if (!compiled.ok) {
    return Either.left(
      new LanguageModelError({
        reason: "Rejected",
        message: `The JSON schema "${schema.name}" is invalid: ${compiled.message}`
      })
    )
  }
  const result = compiled.validate(value)
  if (!result.ok) {
    return Either.left(
      new LanguageModelError({
        reason: "SchemaMismatch",
        message: `The model response does not match the JSON schema "${schema.name}": ${result.message}`,
        raw
      })
    )
  }
  return Either.right(value)
}
