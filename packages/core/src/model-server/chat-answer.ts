/** Reads what a chat request expects (a schema, a tool call, plain text) and writes the built-in output. */
import { compileSchema } from "../ai/JsonSchemaValidator.js"
import { answerFromSchema } from "./builtin-model.js"
import { jsonObjectsInText, operationHintFromMessages } from "./operation-hints.js"
import type { ChatMessage, ChatRequest, JsonSchemaObject } from "./types.js"

/** The schema a request expects its output to satisfy, and where the request gave it. */
export interface RequestedSchema {
  readonly name: string
  readonly schema: JsonSchemaObject
  readonly source: "response_format" | "tool" | "system_message"
}

const schemaKeywords = [
  "type",
  "properties",
  "$defs",
  "$ref",
  "anyOf",
  "oneOf",
  "allOf",
  "items",
  "enum",
  "const"
]

/** Returns the text of a message, joining the text parts of array content. */
export const contentText = (message: ChatMessage): string => {
  if (typeof message.content === "string") return message.content
  if (Array.isArray(message.content)) return message.content.map((part) => part.text ?? "").join("")
  return ""
}

/** Estimates tokens as the OpenAI rule of thumb does: one token per 4 characters, rounded up. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4)

/** Returns the characters of all message contents, the basis of `prompt_tokens`. */
export const promptText = (request: ChatRequest): string => request.messages.map(contentText).join("")

/** Returns the name of the tool the completion must call, or `undefined` when it is a message. */
export const toolCallName = (request: ChatRequest): string | undefined => {
  const tools = request.tools ?? []
  const choice = request.tool_choice
  if (tools.length === 0 || choice === "none") return undefined
  if (typeof choice === "object" && choice !== null) return choice.function.name
  return tools[0]?.function.name
}

/**
 * Returns the schema from `response_format`, else from the called tool's parameters, else the first
 * fenced JSON block of a system message that looks like a schema (how `json_object` clients pass one).
 */
export const requestedSchema = (request: ChatRequest): RequestedSchema | undefined => {
  const format = request.response_format
  if (format?.type === "json_schema" && format.json_schema.schema !== undefined) {
    return { name: format.json_schema.name, schema: format.json_schema.schema, source: "response_format" }
  }
  const toolName = toolCallName(request)
  const tool = request.tools?.find((candidate) => candidate.function.name === toolName)
  if (tool !== undefined) {
    return {
      name: tool.function.name,
      schema: tool.function.parameters ?? { type: "object" },
      source: "tool"
    }
  }
  for (const message of request.messages) {
    if (message.role !== "system" && message.role !== "developer") continue
    for (const object of jsonObjectsInText(contentText(message))) {
      if (schemaKeywords.some((keyword) => keyword in object)) {
        return { name: "response", schema: object, source: "system_message" }
      }
    }
  }
  return undefined
}

/** Whether the output must be JSON: a JSON response format or a tool call. */
export const wantsJson = (request: ChatRequest): boolean =>
  request.response_format?.type === "json_schema" ||
  request.response_format?.type === "json_object" ||
  toolCallName(request) !== undefined

const seedOf = (request: ChatRequest, schema: RequestedSchema | undefined): string =>
  JSON.stringify([request.messages, schema?.name ?? ""])

/** Returns a schema for requests that describe an operation but give no schema. */
const fallbackScenarioSchema: JsonSchemaObject = {
  type: "object",
  required: ["name", "steps"],
  properties: {
    name: { type: "string" },
    steps: {
      type: "array",
      minItems: 1,
      maxItems: 1,
      items: {
        type: "object",
        required: ["method", "path", "expectedStatus"],
        properties: {
          method: { type: "string" },
          path: { type: "string" },
          expectedStatus: { type: "integer" }
        }
      }
    }
  }
}

/** Writes the built-in model's output text: JSON for JSON requests, a sentence otherwise. */
export const builtinAnswer = (request: ChatRequest): string => {
  const schema = requestedSchema(request)
  const operation = operationHintFromMessages(request.messages)
  if (!wantsJson(request)) {
    return "This is the QAWave local model. Ask with response_format or tools to get a JSON answer."
  }
  const target = schema?.schema ?? (operation === undefined ? { type: "object" } : fallbackScenarioSchema)
  return JSON.stringify(answerFromSchema(target, seedOf(request, schema), { operation }))
}

const wrongCandidates: ReadonlyArray<unknown> = [
  { unexpected: true },
  ["unexpected"],
  "unexpected",
  -1,
  null,
  true,
  {}
]

/**
 * Writes valid JSON that the requested schema rejects, checked with ajv. Without a schema, or when the
 * schema accepts every candidate, it writes an array, which no object-typed JSON answer expects.
 */
export const wrongSchemaAnswer = (request: ChatRequest): string => {
  const schema = requestedSchema(request)
  if (schema === undefined) return JSON.stringify(["unexpected"])
  const compiled = compileSchema(schema.schema)
  if (!compiled.ok) return JSON.stringify(["unexpected"])
  const wrong = wrongCandidates.find((candidate) => !compiled.validate(candidate).ok)
  return JSON.stringify(wrong ?? ["unexpected"])
}
