/**
 * Multi-step flows written by the model for one resource: an operation that creates it (POST on the
 * collection) followed by operations on its items (read, update, delete), with values extracted from
 * one response and bound into later requests. The prompt, the output schema and the checks of the
 * model's flows against the spec live here.
 */
import { Schema } from "effect"
import type { ChatMessage, JsonSchemaObject } from "../../ai/LanguageModel.js"
import type { Binding, Extraction, Scenario, Step, StepRequest } from "../../scenario/Scenario.js"
import { canonicalJson, sha256 } from "../../spec/canonical.js"
import { type ApiSpec, isUsable, type Operation } from "../../spec/model.js"
import {
  type Acceptance,
  type AnswerOrigin,
  type Counter,
  emptyCounts,
  jsonMedia,
  keptAssertions,
  placeParameters,
  readJsonText,
  repairBody,
  validityProblems
} from "./accept.js"
import { AnswerValue } from "./answerSchema.js"
import { describeOperation } from "./operationText.js"
import {
  assertionLanguageText,
  defaultMaxPromptTokens,
  depthPlans,
  type Prompt,
  type PromptSettings,
  promptTokens,
  promptVersion,
  resourcePath
} from "./prompt.js"

/** The operations of one resource that a flow can combine. */
export interface ResourceGroup {
  /** Collection path shared by the operations, such as `/pets`. */
  readonly resource: string
  /** Operations that create an item: POST on the collection path. */
  readonly producers: ReadonlyArray<Operation>
  /** Operations on one item: paths that end with a parameter, such as `/pets/{petId}`. */
  readonly consumers: ReadonlyArray<Operation>
}

/** Groups usable operations by resource, keeping the groups that have both a producer and a consumer. */
export const resourceGroups = (spec: ApiSpec): ReadonlyArray<ResourceGroup> => {
  const byResource = new Map<string, Array<Operation>>()
  for (const operation of spec.operations) {
    if (!isUsable(operation)) continue
    const resource = resourcePath(operation.path)
    byResource.set(resource, [...(byResource.get(resource) ?? []), operation])
  }
  const groups: Array<ResourceGroup> = []
  for (const [resource, operations] of byResource) {
    const isCollection = (operation: Operation) =>
      resourcePath(operation.path) === operation.path.replace(/\/+$/, "")
    const producers = operations.filter((operation) => operation.method === "post" && isCollection(operation))
    const consumers = operations.filter((operation) => !isCollection(operation))
    if (producers.length > 0 && consumers.length > 0) groups.push({ resource, producers, consumers })
  }
  return groups
}

const FlowStep = Schema.Struct({
  operationId: Schema.String,
  request: Schema.Struct({
    pathParams: Schema.Array(AnswerValue),
    query: Schema.Array(AnswerValue),
    headers: Schema.Array(AnswerValue),
    body: Schema.NullOr(Schema.String)
  }),
  expect: Schema.Literal("2xx", "4xx", "not_found"),
  extract: Schema.Array(
    Schema.Struct({ variable: Schema.String, from: Schema.Literal("body", "header"), path: Schema.String })
  ),
  bind: Schema.Array(
    Schema.Struct({
      variable: Schema.String,
      location: Schema.Literal("path", "query", "header", "body"),
      target: Schema.String
    })
  ),
  assertions: Schema.Array(Schema.Struct({ rule: Schema.String, expression: Schema.String }))
})
type FlowStep = typeof FlowStep.Type

/** One flow as the model writes it. */
export const AnswerFlow = Schema.Struct({
  description: Schema.String,
  specText: Schema.String,
  steps: Schema.Array(FlowStep)
})
export type AnswerFlow = typeof AnswerFlow.Type

/** The whole model output of one flow call. */
export const FlowAnswer = Schema.Struct({ flows: Schema.Array(AnswerFlow) })
export type FlowAnswer = typeof FlowAnswer.Type

const strictObject = (properties: Record<string, unknown>): JsonSchemaObject => ({
  type: "object",
  additionalProperties: false,
  required: Object.keys(properties),
  properties
})

const valueList: JsonSchemaObject = {
  type: "array",
  items: strictObject({ name: { type: "string" }, value: { type: "string" } })
}

/** Name of the flow output schema, as sent to the provider. */
export const flowAnswerSchemaName = "qawave_flows"

/** The output schema of flow calls, written for OpenAI's strict structured output. */
export const flowAnswerSchema: JsonSchemaObject = strictObject({
  flows: {
    type: "array",
    items: strictObject({
      description: { type: "string" },
      specText: { type: "string" },
      steps: {
        type: "array",
        items: strictObject({
          operationId: { type: "string" },
          request: strictObject({
            pathParams: valueList,
            query: valueList,
            headers: valueList,
            body: { type: ["string", "null"] }
          }),
          expect: { type: "string", enum: ["2xx", "4xx", "not_found"] },
          extract: {
            type: "array",
            items: strictObject({
              variable: { type: "string" },
              from: { type: "string", enum: ["body", "header"] },
              path: {
                type: "string",
                description: "JSON pointer such as /id for body, the header name for header."
              }
            })
          },
          bind: {
            type: "array",
            items: strictObject({
              variable: { type: "string" },
              location: { type: "string", enum: ["path", "query", "header", "body"] },
              target: { type: "string", description: "Parameter name, or a JSON pointer into the body." }
            })
          },
          assertions: {
            type: "array",
            items: strictObject({ rule: { type: "string" }, expression: { type: "string" } })
          }
        })
      }
    })
  }
})

const flowSystemText = `You write multi-step API test flows for one resource of an HTTP API described by OpenAPI.
A flow creates an item, then reads, changes or deletes it, in the order a client would.
Rules:
- Use only the listed operations, by operationId, with their declared parameters and body fields.
- Write every parameter value and the body as JSON text: 5, "abc", {"name":"x"}. Use null for no body.
- Take the new item's id from a response with extract (from body, path a JSON pointer such as /id) and
  put it into later requests with bind (location path, target the parameter name).
- Expect 2xx for steps that must succeed, not_found for a read after the item was deleted, 4xx for a rejected request.
- Copy into specText the sentence of the spec the flow comes from.
${assertionLanguageText}
Return the flows as the JSON answer and nothing else.`

/** Builds the messages of one flow call for a resource group, cut like `buildPrompt` to fit `maxPromptTokens`. */
export const buildFlowPrompt = (spec: ApiSpec, group: ResourceGroup, settings: PromptSettings): Prompt => {
  const limit = settings.maxPromptTokens ?? defaultMaxPromptTokens
  const operations = [...group.producers, ...group.consumers]
  let messages: ReadonlyArray<ChatMessage> = []
  for (const depths of depthPlans(settings)) {
    const described = operations.map((operation) => describeOperation(spec, operation, depths))
    const content = [
      `Write ${settings.scenariosPerCall} flows for this resource.`,
      `resource: ${group.resource}`,
      ...described
    ].join("\n\n")
    messages = [
      { role: "system", content: flowSystemText },
      { role: "user", content }
    ]
    if (promptTokens(messages) <= limit) break
  }
  return { messages, promptHash: sha256(canonicalJson(messages)), promptVersion }
}

type CheckedStep =
  | { readonly ok: true; readonly step: Step }
  | { readonly ok: false; readonly reason: string }

/** Keeps bindings whose variable an earlier step extracts and whose target the operation declares. */
const keptBindings = (
  operation: Operation,
  step: FlowStep,
  extracted: ReadonlySet<string>,
  counter: Counter
): ReadonlyArray<Binding> | string => {
  const bindings: Array<Binding> = []
  for (const binding of step.bind) {
    if (!extracted.has(binding.variable)) {
      counter.invalidFlows++
      return `variable ${binding.variable} is not extracted by an earlier step`
    }
    const location = binding.location
    if (location !== "body") {
      const declared = operation.parameters.some(
        (parameter) => parameter.in === location && parameter.name === binding.target
      )
      if (!declared) {
        counter.unknownParameters++
        continue
      }
    }
    bindings.push(binding)
  }
  return bindings
}

const checkStep = (
  spec: ApiSpec,
  operations: ReadonlyArray<Operation>,
  answer: AnswerFlow,
  index: number,
  extracted: Set<string>,
  afterDelete: boolean,
  counter: Counter
): CheckedStep => {
  const step = answer.steps[index] as FlowStep
  const operation = operations.find((candidate) => candidate.id === step.operationId)
  if (operation === undefined) {
    counter.unknownOperations++
    return { ok: false, reason: `step ${index + 1} names operation "${step.operationId}"` }
  }
  const bindings = keptBindings(operation, step, extracted, counter)
  if (typeof bindings === "string") return { ok: false, reason: `step ${index + 1}: ${bindings}` }
  const bound = new Set(
    bindings.map((binding) =>
      binding.location === "body" ? "body" : `${binding.location}:${binding.target}`
    )
  )

  const bags = placeParameters(operation, step.request, counter)
  const missingPath = operation.parameters.find(
    (parameter) =>
      parameter.in === "path" &&
      bags.pathParams[parameter.name] === undefined &&
      !bound.has(`path:${parameter.name}`)
  )
  if (missingPath !== undefined) {
    counter.missingPathParameters++
    return { ok: false, reason: `step ${index + 1}: path parameter ${missingPath.name} has no value` }
  }

  const media = jsonMedia(operation)
  let request: StepRequest = { ...bags, auth: "default" }
  if (step.request.body !== null) {
    if (media === undefined) {
      counter.unexpectedBodies++
    } else {
      const intent = step.expect === "4xx" ? "invalid" : "valid"
      const value = repairBody(spec, media, readJsonText(step.request.body), intent, counter)
      request = { ...request, body: { mediaType: media.mediaType, value } }
    }
  }
  if (step.expect === "2xx") {
    const problems = validityProblems(spec, operation, request, media, bound)
    if (problems.length > 0) {
      counter.invalidValidScenarios++
      return { ok: false, reason: `step ${index + 1} breaks the spec: ${problems.join("; ")}` }
    }
  }

  const extractions: ReadonlyArray<Extraction> = step.extract.filter(
    (extraction) => extraction.from === "header" || extraction.path === "" || extraction.path.startsWith("/")
  )
  for (const extraction of extractions) extracted.add(extraction.variable)
  return {
    ok: true,
    step: {
      id: `step-${index + 1}`,
      operationId: operation.id,
      request,
      expect: step.expect,
      extract: extractions,
      bind: bindings,
      assertions: keptAssertions(step.assertions, answer.specText, counter),
      ...(afterDelete && operation.method === "get" ? { afterDelete: true } : {})
    }
  }
}

type CheckedFlow =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly reason: string }

const checkFlow = (
  spec: ApiSpec,
  group: ResourceGroup,
  answer: AnswerFlow,
  origin: AnswerOrigin,
  counter: Counter
): CheckedFlow => {
  if (answer.steps.length < 2) {
    counter.invalidFlows++
    return { ok: false, reason: "it has fewer than 2 steps" }
  }
  const operations = [...group.producers, ...group.consumers]
  const extracted = new Set<string>()
  const steps: Array<Step> = []
  let deleted = false
  for (let index = 0; index < answer.steps.length; index++) {
    const checked = checkStep(spec, operations, answer, index, extracted, deleted, counter)
    if (!checked.ok) return checked
    steps.push(checked.step)
    deleted ||= operations.find((operation) => operation.id === checked.step.operationId)?.method === "delete"
  }
  const hash = sha256(
    canonicalJson(
      steps.map(({ operationId, request, expect, bind }) => ({ operationId, request, expect, bind }))
    )
  )
  const id = `ai-flow-${hash.slice(0, 12)}`
  return {
    ok: true,
    scenario: {
      id,
      operationIds: [...new Set(steps.map((step) => step.operationId))],
      provenance: {
        generator: "ai",
        rule: "ai.flow",
        intent: "flow",
        source: group.resource,
        description: answer.description,
        model: origin.model,
        promptVersion: origin.promptVersion,
        promptHash: origin.promptHash,
        specText: answer.specText
      },
      steps: steps.map((step, index) => ({ ...step, id: `${id}-${index + 1}` }))
    }
  }
}

/** Checks every flow of a model output for a resource group; at most `limit` flows are accepted. */
export const acceptFlows = (
  spec: ApiSpec,
  group: ResourceGroup,
  answer: FlowAnswer,
  origin: AnswerOrigin,
  limit: number
): Acceptance => {
  const counter: Counter = { ...emptyCounts }
  const scenarios: Array<Scenario> = []
  const notes: Array<string> = []
  for (const [index, flow] of answer.flows.entries()) {
    counter.scenariosReceived++
    const checked = checkFlow(spec, group, flow, origin, counter)
    if (!checked.ok) {
      notes.push(`AI flow ${index + 1} for ${group.resource} dropped because ${checked.reason}`)
      continue
    }
    if (scenarios.some((scenario) => scenario.id === checked.scenario.id)) {
      counter.duplicateScenarios++
      continue
    }
    if (scenarios.length < limit) scenarios.push(checked.scenario)
  }
  counter.scenariosAccepted = scenarios.length
  return { scenarios, counts: counter, notes }
}
