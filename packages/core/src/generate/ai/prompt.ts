/**
 * The generation prompt for one operation. It holds only what the model needs: the operation's
 * schemas (references inlined to a fixed depth), constraints, examples, descriptions, security, and
 * the method, path and id of the operations that share its resource. Never the whole document.
 */
import type { ChatMessage } from "../../ai/LanguageModel.js"
import { canonicalJson, sha256 } from "../../spec/canonical.js"
import type { ApiSpec, JsonSchema, Operation, Parameter } from "../../spec/model.js"
import { compactSchema, dereferencedSchema, maxExamples, shortText } from "./schemaView.js"

/** Version of the prompt text and answer schema; part of the cache key and of each scenario's provenance. */
export const promptVersion = "ai-scenarios/1"

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
export const assertionLanguageText = `Assertions are boolean expressions on the response: paths $.status, $.body.items[0].id, $.headers.x-total-count;
len(<path>); literals (numbers, "strings", true, false, null); == != < <= > >=; &&; ||; !; parentheses.
Example: $.status == 200 && len($.body.items) <= 10`

const systemText = `You write API test scenarios for one operation of an HTTP API described by OpenAPI.
Each scenario is one request to that operation with what the response must show.
Intents:
- valid: every value satisfies its schema and every required value is present; expect 2xx.
- invalid: exactly one value breaks a stated constraint (type, required, enum, format, minimum, maxLength, pattern, ...); expect 4xx.
- business_rule: a rule stated in a description, checked with assertions on the response.
- edge_case: an unusual but meaningful input (empty list, boundary value, unicode, large page size).
Rules:
- Use only the parameters and body fields the operation declares, with their exact names and locations.
- Write every parameter value and the body as JSON text: 5, "abc", true, {"name":"x"}. Use null for no body.
- Copy into specText the sentence or constraint of the spec the scenario comes from.
- Set operationId to the operation's id.
${assertionLanguageText}
Return the scenarios as the JSON answer and nothing else.`

type SchemaView = (schema: JsonSchema) => unknown

const schemaOrNothing = (schema: JsonSchema | undefined, view: SchemaView): { readonly schema?: unknown } =>
  schema === undefined ? {} : { schema: view(schema) }

const optionalText = (name: string, text: string | undefined): Record<string, string> =>
  text === undefined || text === "" ? {} : { [name]: shortText(text) }

const optionalExamples = (
  examples: ReadonlyArray<unknown>
): { readonly examples?: ReadonlyArray<unknown> } =>
  examples.length === 0 ? {} : { examples: examples.slice(0, maxExamples) }

const describeParameter = (parameter: Parameter, view: SchemaView) => ({
  name: parameter.name,
  in: parameter.in,
  ...(parameter.required ? { required: true } : {}),
  ...optionalText("description", parameter.description),
  schema: view(parameter.schema),
  ...optionalExamples(parameter.examples)
})

const isSuccessStatus = (status: string): boolean => status.startsWith("2")

const describeSecurity = (spec: ApiSpec, operation: Operation) =>
  operation.security.map((alternative) =>
    alternative.map(({ scheme, scopes }) => {
      const declared = spec.securitySchemes[scheme]
      const kind =
        declared === undefined
          ? "unknown"
          : declared.type === "http"
            ? `http ${declared.scheme}`
            : declared.type === "apiKey"
              ? `apiKey in ${declared.in} ${declared.parameterName}`
              : declared.type
      return scopes.length === 0 ? { scheme, kind } : { scheme, kind, scopes }
    })
  )

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

/**
 * Depths of inlined references in one prompt: `request` for parameters and the request body,
 * `response` for success response bodies, which then are left out entirely when it is `undefined`.
 */
export interface Depths {
  readonly request: number
  readonly response: number | undefined
}

/** Describes the operation for the prompt, with schemas cut at `depths`. */
export const describeOperation = (spec: ApiSpec, operation: Operation, depths: Depths) => {
  const requestView: SchemaView = (schema) => compactSchema(spec.definitions, schema, depths.request)
  const responseDepth = depths.response
  const body = operation.requestBody
  const media = body?.content.find((item) => item.mediaType.includes("json")) ?? body?.content[0]
  return {
    operationId: operation.id,
    method: operation.method.toUpperCase(),
    path: operation.path,
    ...optionalText("summary", operation.summary),
    ...optionalText("description", operation.description),
    ...(operation.deprecated ? { deprecated: true } : {}),
    parameters: operation.parameters.map((parameter) => describeParameter(parameter, requestView)),
    ...(body === undefined || media === undefined
      ? {}
      : {
          requestBody: {
            required: body.required,
            mediaType: media.mediaType,
            ...optionalText("description", body.description),
            ...schemaOrNothing(media.schema, requestView),
            ...optionalExamples(media.examples)
          }
        }),
    responses: operation.responses.map((response) => {
      // Only success bodies are shown: assertions are written on those, and error bodies are judged
      // by the schema checks without the model.
      const json = response.content.find((item) => item.mediaType.includes("json"))
      const shown = responseDepth !== undefined && isSuccessStatus(response.status) ? json?.schema : undefined
      return {
        status: response.status,
        ...optionalText("description", response.description),
        ...(shown === undefined || responseDepth === undefined
          ? {}
          : { schema: compactSchema(spec.definitions, shown, responseDepth) }),
        ...(response.headers.length === 0 ? {} : { headers: response.headers.map((header) => header.name) })
      }
    }),
    ...(operation.security.length === 0 ? {} : { security: describeSecurity(spec, operation) })
  }
}

const userMessage = (content: unknown, scenariosPerCall: number): string =>
  `Write ${scenariosPerCall} scenarios for this operation, covering several intents.\n\`\`\`json\n${JSON.stringify(content)}\n\`\`\``

const promptContent = (spec: ApiSpec, operation: Operation, depths: Depths) => ({
  operation: describeOperation(spec, operation, depths),
  relatedOperations: relatedOperations(spec, operation).map((other) => ({
    operationId: other.id,
    method: other.method.toUpperCase(),
    path: other.path
  }))
})

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
      {
        role: "user",
        content: userMessage(promptContent(spec, operation, depths), settings.scenariosPerCall)
      }
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
      content: userMessage(
        { operation: dereferencedSchema(spec.definitions, operation as unknown as JsonSchema) },
        scenariosPerCall
      )
    }
  ])
