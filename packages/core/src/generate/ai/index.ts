/** The AI scenario generator, its prompt, answer checking, usage accounting and the hybrid generator. */
export {
  type AiGenerator,
  type AiGeneratorServices,
  flowCacheKey,
  makeAiGenerator,
  scenarioCacheKey
} from "./AiGenerator.js"
export {
  type Acceptance,
  type AcceptanceCounts,
  type AnswerOrigin,
  acceptAnswer,
  addCounts,
  emptyCounts,
  readJsonText
} from "./accept.js"
export {
  AiIntent,
  Answer,
  AnswerScenario,
  AnswerValue,
  aiIntents,
  answerSchema,
  answerSchemaName
} from "./answerSchema.js"
export {
  type AnsweredCall,
  type CallContext,
  type CallFailure,
  callModel,
  feedbackMessages,
  type OutputSpec
} from "./call.js"
export {
  AnswerFlow,
  acceptFlows,
  buildFlowPrompt,
  FlowAnswer,
  flowAnswerSchema,
  flowAnswerSchemaName,
  type ResourceGroup,
  resourceGroups
} from "./flows.js"
export { combineGenerators, equivalenceKey, mergeScenarios } from "./hybrid.js"
export { maxParameterDescriptionLength } from "./operationText.js"
export {
  assertionLanguageText,
  buildPrompt,
  defaultMaxPromptTokens,
  estimateTokens,
  maxRelatedOperations,
  naivePromptTokens,
  type Prompt,
  type PromptSettings,
  promptTokens,
  promptVersion,
  relatedOperations,
  resourcePath
} from "./prompt.js"
export {
  compactSchema,
  cutMarker,
  dereferencedSchema,
  maxDescriptionLength,
  maxExamples,
  responseSchema
} from "./schemaView.js"
export {
  type AiGeneratorSettings,
  type ResolvedSettings,
  resolveSettings,
  type TokenPrices
} from "./settings.js"
export {
  type AiFailures,
  type AiUsageReport,
  budgetReached,
  credentialsRejected,
  makeUsageMeter,
  type UsageMeter
} from "./usage.js"
