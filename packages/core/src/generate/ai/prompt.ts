/**
 * The generation prompt for one operation. It holds only what the model needs: the operation's
 * schemas (references inlined to a fixed depth), constraints, examples, descriptions, security, and
 * the methods and paths of the operations that share its resource. Never the whole document. The
 * operation is written as text (`operationText.ts`) rather than JSON, which spends many characters on
 * keys, quotes and braces.
 */
import type { ChatMessage } from "../../ai/LanguageModel.js"
import { canonicalJson, sha256 } from "../../spec/canonical.js"
import type { ApiSpec, JsonSchema, Operation } from "../../spec/model.js"
import { type Depths, describeOperation, operationsByPath } from "./operationText.js"
import { dereferencedSchema } from "./schemaView.js"

/** Version of the prompt text and answer schema; part of the cache key and of each scenario's provenance. */
export const promptVersion = "ai-scenarios/2"

/** Related operations listed in a prompt, at most. */
export const maxRelatedOperations = 12

/** A built prompt with its identity. */
export interface Prompt {
  readonly messages: ReadonlyArray<ChatMessage>
  /** Hex SHA-256 of the canonical JSON of `messages`. */
  readonly promptHash: string
  readonly promptVersion: string
}

/** Prompt length, in estimated tokens, above which `buildPrompt` cuts schemas further. */
export const defaultMaxPromptTokens = 2_000

/** Generator settings that `buildPrompt` reads. */
export interface PromptSettings {
  readonly scenariosPerCall: number
  /** Depth of inlined references before a schema is cut. */
  readonly schemaDepth: number
  /** Depth for success response schemas, at most `schemaDepth`; `schemaDepth` when absent. */
  readonly responseDepth?: number | undefined
  /** Prompt length in estimated tokens that triggers further cuts; `defaultMaxPromptTokens` when absent. */
  readonly maxPromptTokens?: number | undefined
}

/** The assertion language of the `business_rule` check, as the prompts teach it. */
export const assertionLanguageText = `Assertions, e.g. $.status == 200 && len($.body.items) <= 10 || !($.headers.x-total-count > 5) && $.body.items[0].id != null; also < >=, "strings", true, false, null.`

/**
 * The instructions of the compact and the naive prompt. They leave out two kinds of rule that the
 * model receives anyway. The field descriptions of `answerSchema` state that values and the body are
 * JSON text, null for no body, and what `specText` contains. The structured output mode already
 * restricts the answer to JSON.
 */
const systemText = `Intents: valid (all values fit their schemas, required ones present; 2xx), invalid (exactly one value breaks a stated constraint: required, type, enum, format, range, length, pattern...; 4xx), business_rule (a rule stated in a description, checked by assertions), edge_case (unusual but meaningful input: empty list, boundary, unicode, big page size).
Use only declared parameters and body fields, exact names and locations. operationId: the operation's id.
${assertionLanguageText}`

/**
 * Returns the path of the collection an operation belongs to: the path without a trailing
 * `{parameter}` segment, so `/pets/{petId}` and `/pets` share `/pets`.
 */
export const resourcePath = (path: string): string => {
  const trimmed = path.replace(/\/+$/, "")
  const withoutItem = trimmed.replace(/\/\{[^/}]+\}$/, "")
  return withoutItem === "" ? "/" : withoutItem
}

/** Operations other than `operation` that act on the same resource: its collection or its items. */
export const relatedOperations = (spec: ApiSpec, operation: Operation): ReadonlyArray<Operation> => {
  const resource = resourcePath(operation.path)
  return spec.operations
    .filter((other) => other.id !== operation.id && resourcePath(other.path) === resource)
    .slice(0, maxRelatedOperations)
}

/** The first line of the user message, the same in the compact and the naive prompt. */
const requestLine = (scenariosPerCall: number): string =>
  `Write ${scenariosPerCall} test scenarios of mixed intents for this API operation, each a request and its expected response.`

const userMessage = (
  spec: ApiSpec,
  operation: Operation,
  depths: Depths,
  scenariosPerCall: number
): string => {
  const related = relatedOperations(spec, operation)
  return [
    requestLine(scenariosPerCall),
    describeOperation(spec, operation, depths),
    ...(related.length === 0 ? [] : [`same resource: ${operationsByPath(related, operation.path)}`])
  ].join("\n")
}

/**
 * Returns the depths to try, most detailed first: response schemas lose depth first, then are left
 * out, then request schemas lose depth down to 1.
 */
export const depthPlans = (settings: PromptSettings): ReadonlyArray<Depths> => {
  const plans: Array<Depths> = []
  const responseStart = Math.min(settings.responseDepth ?? settings.schemaDepth, settings.schemaDepth)
  for (let response = responseStart; response >= 1; response--)
    plans.push({ request: settings.schemaDepth, response })
  for (let request = settings.schemaDepth; request >= 1; request--)
    plans.push({ request, response: undefined })
  return plans
}

/**
 * Builds the messages of one generation call for `operation`, with the prompt's version and hash.
 * Schemas are cut at `schemaDepth`. While the prompt is longer than `maxPromptTokens`, it is rebuilt
 * with less detail (see `depthPlans`) until it fits or nothing more can be cut.
 */
export const buildPrompt = (spec: ApiSpec, operation: Operation, settings: PromptSettings): Prompt => {
  const limit = settings.maxPromptTokens ?? defaultMaxPromptTokens
  let messages: ReadonlyArray<ChatMessage> = []
  for (const depths of depthPlans(settings)) {
    messages = [
      { role: "system", content: systemText },
      { role: "user", content: userMessage(spec, operation, depths, settings.scenariosPerCall) }
    ]
    if (promptTokens(messages) <= limit) break
  }
  return { messages, promptHash: sha256(canonicalJson(messages)), promptVersion }
}

/** Estimates tokens as one per 4 characters, rounded up; the unit of budgets before a call. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4)

/** Estimates the prompt tokens of a list of messages. */
export const promptTokens = (messages: ReadonlyArray<ChatMessage>): number =>
  estimateTokens(messages.map((message) => message.content).join(""))

/**
 * Estimates the prompt tokens of a naive prompt: the same instructions with the whole operation
 * object, every reference inlined (cycles excepted) and nothing shortened. It is the baseline the
 * compact prompt is measured against.
 */
export const naivePromptTokens = (spec: ApiSpec, operation: Operation, scenariosPerCall = 5): number =>
  promptTokens([
    { role: "system", content: systemText },
    {
      role: "user",
      content: `${requestLine(scenariosPerCall)}\n\`\`\`json\n${JSON.stringify({
        operation: dereferencedSchema(spec.definitions, operation as unknown as JsonSchema)
      })}\n\`\`\``
    }
  ])
