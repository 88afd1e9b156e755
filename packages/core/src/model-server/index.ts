/** The local OpenAI-compatible model server, published as `@qawave/core/model-server`. */
export { type AnswerOptions, answerFromSchema } from "./builtin-model.js"
export { type RequestedSchema, requestedSchema } from "./chat-answer.js"
export { type OperationHint, operationHintFromMessages } from "./operation-hints.js"
export { startModelServer } from "./server.js"
export {
  type ChatMessage,
  type ChatRequest,
  type ChatTool,
  type Fault,
  type FaultName,
  faultNames,
  type JsonSchemaObject,
  type ModelServer,
  type ModelServerOptions,
  type RecordedChatRequest,
  type ResponseFormat,
  type ScriptedAnswer
} from "./types.js"
