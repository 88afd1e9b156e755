/**
 * Checks a model's answer against the spec before anything is sent: unknown operations, parameters
 * and body fields are dropped or repaired, values of valid-intent scenarios must satisfy their schemas,
 * and assertions must parse. Every change is counted, so a report can show how much was thrown away.
 */
import { Either } from "effect"
import { parseExpression } from "../../check/expression.js"
import type { Assertion, ExpectedOutcome, Scenario, StepRequest } from "../../scenario/Scenario.js"
import { formatIssues, validate, validatorFor } from "../../schema/Validator.js"
import { canonicalJson, sha256 } from "../../spec/canonical.js"
import { standaloneSchema } from "../../spec/definitions.js"
import type { ApiSpec, MediaType, Operation, Parameter, ParameterLocation } from "../../spec/model.js"
import type { AiIntent, Answer, AnswerScenario, AnswerValue } from "./answerSchema.js"
import { resolveTop } from "./schemaView.js"

/** What was dropped or repaired while checking answers; every field counts items. */
// A type alias, not an interface, so it fits the report's `Record<string, number>`.
export type AcceptanceCounts = {
  readonly scenariosReceived: number
  readonly scenariosAccepted: number
  /** Scenarios written for an operation other than the one asked about. */
  readonly unknownOperations: number
  /** Scenarios without a value for a path parameter, so no URL can be built. */
  readonly missingPathParameters: number
  /** Valid-intent scenarios whose values break their schemas or miss a required value. */
  readonly invalidValidScenarios: number
  /** Invalid-intent scenarios whose values all satisfy their schemas, so they test nothing invalid. */
  readonly validInvalidScenarios: number
  /** Scenarios equal to an earlier one of the same answer. */
  readonly duplicateScenarios: number
  /** Parameters the operation does not declare, removed. */
  readonly unknownParameters: number
  /** Parameters declared in another location than the model put them, moved there. */
  readonly movedParameters: number
  /** Top-level body fields the body schema does not declare, removed. */
  readonly unknownBodyFields: number
  /** Bodies given to an operation without a request body, removed. */
  readonly unexpectedBodies: number
  /** Assertions whose expression does not parse, removed. */
  readonly invalidAssertions: number
  /** Flows dropped because a step uses a variable no earlier step extracts, or because they have fewer than 2 steps. */
  readonly invalidFlows: number
  /**
   * `expect` values changed to match the intent (`valid` expects 2xx, `invalid` 4xx), or a business
   * rule's 4xx for a request that breaks no constraint turned into an assertion.
   */
  readonly repairedExpectations: number
}

/** Counts with every field at zero. */
export const emptyCounts: AcceptanceCounts = {
  scenariosReceived: 0,
  scenariosAccepted: 0,
  unknownOperations: 0,
  missingPathParameters: 0,
  invalidValidScenarios: 0,
  validInvalidScenarios: 0,
  duplicateScenarios: 0,
  unknownParameters: 0,
  movedParameters: 0,
  unknownBodyFields: 0,
  unexpectedBodies: 0,
  invalidAssertions: 0,
  invalidFlows: 0,
  repairedExpectations: 0
}

/** Adds two sets of counts field by field. */
export const addCounts = (left: AcceptanceCounts, right: AcceptanceCounts): AcceptanceCounts => {
  const sum: Record<string, number> = {}
  for (const key of Object.keys(left) as Array<keyof AcceptanceCounts>) sum[key] = left[key] + right[key]
  return sum as unknown as AcceptanceCounts
}

/** Provenance fields of the call an answer came from. */
export interface AnswerOrigin {
  readonly model: string
  readonly promptVersion: string
  readonly promptHash: string
}

/** The accepted scenarios of one answer, the counts, and a note per dropped scenario. */
export interface Acceptance {
  readonly scenarios: ReadonlyArray<Scenario>
  readonly counts: AcceptanceCounts
  readonly notes: ReadonlyArray<string>
}

/** Counts being collected; the mutable form of `AcceptanceCounts`. */
export type Counter = { -readonly [K in keyof AcceptanceCounts]: number }

type Bag = "pathParams" | "query" | "headers" | "cookies"

const bagOf = (location: ParameterLocation): Bag =>
  location === "path"
    ? "pathParams"
    : location === "query"
      ? "query"
      : location === "header"
        ? "headers"
        : "cookies"

// OpenAPI ignores header parameters with these names because media types and credentials set them.
const ignoredHeaders = new Set(["accept", "content-type", "authorization"])

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Reads a value the model wrote as JSON text; text that is not JSON is taken as a plain string. */
export const readJsonText = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * Reads a parameter value written as JSON text. A number or boolean for a parameter whose schema is
 * `type: string` keeps its text, because `5` is then meant as the string "5".
 */
const parameterValue = (parameter: Parameter, text: string): unknown => {
  const value = readJsonText(text)
  const schema = parameter.schema
  const wantsString = isObject(schema) && schema.type === "string"
  return wantsString && (typeof value === "number" || typeof value === "boolean") ? text.trim() : value
}

const sameName = (parameter: Parameter, name: string): boolean =>
  parameter.in === "header" ? parameter.name.toLowerCase() === name.toLowerCase() : parameter.name === name

const usable = (operation: Operation): ReadonlyArray<Parameter> =>
  operation.parameters.filter(
    (parameter) => !(parameter.in === "header" && ignoredHeaders.has(parameter.name.toLowerCase()))
  )

/** Places the model's values into the request's parameter bags, dropping or moving the ones it misplaced. */
export const placeParameters = (
  operation: Operation,
  request: AnswerScenario["request"],
  counter: Counter
): Record<Bag, Record<string, unknown>> => {
  const bags: Record<Bag, Record<string, unknown>> = { pathParams: {}, query: {}, headers: {}, cookies: {} }
  const declared = usable(operation)
  const given: ReadonlyArray<readonly [ParameterLocation, ReadonlyArray<AnswerValue>]> = [
    ["path", request.pathParams],
    ["query", request.query],
    ["header", request.headers]
  ]
  for (const [location, values] of given) {
    for (const { name, value } of values) {
      const exact = declared.find((parameter) => parameter.in === location && sameName(parameter, name))
      const elsewhere = exact ?? declared.find((parameter) => sameName(parameter, name))
      if (elsewhere === undefined) {
        counter.unknownParameters++
        continue
      }
      if (exact === undefined) counter.movedParameters++
      bags[bagOf(elsewhere.in)][elsewhere.name] = parameterValue(elsewhere, value)
    }
  }
  return bags
}

/** The media type a body is sent as: the first JSON one, else the first declared. */
export const jsonMedia = (operation: Operation): MediaType | undefined => {
  const content = operation.requestBody?.content ?? []
  return (
    content.find((media) => media.mediaType === "application/json" || media.mediaType.endsWith("+json")) ??
    content[0]
  )
}

/** Names of the top-level properties a body schema declares, or `undefined` when any name is allowed. */
const declaredProperties = (spec: ApiSpec, media: MediaType): ReadonlySet<string> | undefined => {
  if (media.schema === undefined) return undefined
  const schema = resolveTop(spec.definitions, media.schema)
  if (!isObject(schema) || !isObject(schema.properties)) return undefined
  // A composed schema may allow properties listed only in its branches; its names are not all known here.
  if ("allOf" in schema || "anyOf" in schema || "oneOf" in schema || "patternProperties" in schema)
    return undefined
  return new Set(Object.keys(schema.properties))
}

/** Removes top-level body fields the schema does not declare, unless removing them would hide the point of an invalid scenario. */
export const repairBody = (
  spec: ApiSpec,
  media: MediaType,
  value: unknown,
  intent: AiIntent,
  counter: Counter
): unknown => {
  if (!isObject(value)) return value
  const names = declaredProperties(spec, media)
  if (names === undefined) return value
  const schema = resolveTop(spec.definitions, media.schema ?? true)
  // An extra field is the deliberate fault of an invalid scenario when the schema forbids extra fields.
  if (intent === "invalid" && isObject(schema) && schema.additionalProperties === false) return value
  const kept: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(value)) {
    if (names.has(name)) kept[name] = field
    else counter.unknownBodyFields++
  }
  return kept
}

/**
 * Returns the reasons a valid-intent request breaks the operation's schemas, empty when it satisfies
 * them. Values in `bound` (`path:petId`, `body`) are filled from earlier steps at run time, so they
 * are not checked.
 */
export const validityProblems = (
  spec: ApiSpec,
  operation: Operation,
  request: StepRequest,
  media: MediaType | undefined,
  bound: ReadonlySet<string> = new Set()
): ReadonlyArray<string> => {
  const problems: Array<string> = []
  for (const parameter of usable(operation)) {
    if (bound.has(`${parameter.in}:${parameter.name}`)) continue
    const value = request[bagOf(parameter.in)][parameter.name]
    if (value === undefined) {
      if (parameter.required) problems.push(`${parameter.in} parameter ${parameter.name} is required`)
      continue
    }
    const issues = validate(standaloneSchema(spec, parameter.schema), value)
    if (issues.length > 0)
      problems.push(`${parameter.in} parameter ${parameter.name}: ${formatIssues(issues)}`)
  }
  const body = operation.requestBody
  if (bound.has("body")) return problems
  if (body !== undefined && request.body === undefined && body.required)
    problems.push("the request body is required")
  if (request.body !== undefined && media?.schema !== undefined) {
    const issues = validate(standaloneSchema(spec, media.schema), request.body.value)
    if (issues.length > 0) problems.push(`request body: ${formatIssues(issues)}`)
  }
  return problems
}

/**
 * Compiles the validators that `validityProblems` uses for an operation, so that the work can run
 * while the model call is in flight instead of after the answer arrives.
 */
export const compileValidators = (spec: ApiSpec, operation: Operation): void => {
  for (const parameter of usable(operation)) validatorFor(standaloneSchema(spec, parameter.schema))
  for (const media of operation.requestBody?.content ?? []) {
    if (media.schema !== undefined) validatorFor(standaloneSchema(spec, media.schema))
  }
}

/** Keeps the assertions whose expression parses, each with the spec text it comes from. */
export const keptAssertions = (
  assertions: ReadonlyArray<{ readonly rule: string; readonly expression: string }>,
  specText: string,
  counter: Counter
): ReadonlyArray<Assertion> => {
  const kept: Array<Assertion> = []
  for (const assertion of assertions) {
    if (Either.isLeft(parseExpression(assertion.expression))) {
      counter.invalidAssertions++
      continue
    }
    kept.push({ rule: assertion.rule, expression: assertion.expression, specText })
  }
  return kept
}

const expectationFor = (scenario: AnswerScenario): "2xx" | "4xx" =>
  scenario.intent === "valid" ? "2xx" : scenario.intent === "invalid" ? "4xx" : scenario.expect

type Checked =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly reason: string }

const checkScenario = (
  spec: ApiSpec,
  operation: Operation,
  answer: AnswerScenario,
  origin: AnswerOrigin,
  counter: Counter
): Checked => {
  if (answer.operationId !== operation.id) {
    counter.unknownOperations++
    return { ok: false, reason: `it names operation "${answer.operationId}"` }
  }
  const bags = placeParameters(operation, answer.request, counter)
  const missingPath = operation.parameters.find(
    (parameter) => parameter.in === "path" && bags.pathParams[parameter.name] === undefined
  )
  if (missingPath !== undefined) {
    counter.missingPathParameters++
    return { ok: false, reason: `path parameter ${missingPath.name} has no value` }
  }

  const media = jsonMedia(operation)
  let request: StepRequest = { ...bags, auth: "default" }
  if (answer.request.body !== null) {
    if (media === undefined) {
      counter.unexpectedBodies++
    } else {
      const value = repairBody(spec, media, readJsonText(answer.request.body), answer.intent, counter)
      request = { ...request, body: { mediaType: media.mediaType, value } }
    }
  }

  if (answer.intent === "valid") {
    const problems = validityProblems(spec, operation, request, media)
    if (problems.length > 0) {
      counter.invalidValidScenarios++
      return { ok: false, reason: `a valid scenario breaks the spec: ${problems.join("; ")}` }
    }
  }
  // An invalid scenario must break a stated constraint; one that breaks none would report a correct
  // API that accepts it as a bug. Rules stated only in prose belong to business_rule scenarios.
  if (answer.intent === "invalid" && validityProblems(spec, operation, request, media).length === 0) {
    counter.validInvalidScenarios++
    return { ok: false, reason: "an invalid scenario breaks no constraint of the spec" }
  }

  // A business rule or edge case that expects 4xx for a request breaking no stated constraint rests on
  // the model's reading of prose. The 4xx becomes an assertion, so a 2xx is reported by business_rule
  // with the rule and spec text beside it, not by negative_data_rejection as invalid input.
  let expect: ExpectedOutcome = expectationFor(answer)
  const assertions = [...keptAssertions(answer.assertions, answer.specText, counter)]
  if (
    (answer.intent === "business_rule" || answer.intent === "edge_case") &&
    expect === "4xx" &&
    validityProblems(spec, operation, request, media).length === 0
  ) {
    counter.repairedExpectations++
    expect = "any"
    assertions.push({
      rule: `${answer.description} (a 4xx status is expected)`,
      expression: "$.status >= 400 && $.status < 500",
      specText: answer.specText
    })
  }

  const id = `ai-${operation.id}-${sha256(canonicalJson({ intent: answer.intent, request })).slice(0, 12)}`
  const scenario: Scenario = {
    id,
    operationIds: [operation.id],
    provenance: {
      generator: "ai",
      rule: `ai.${answer.intent}`,
      intent: answer.intent,
      source: operation.pointer,
      description: answer.description,
      model: origin.model,
      promptVersion: origin.promptVersion,
      promptHash: origin.promptHash,
      specText: answer.specText
    },
    steps: [
      {
        id: `${id}-1`,
        operationId: operation.id,
        request,
        expect,
        extract: [],
        bind: [],
        assertions
      }
    ]
  }
  return { ok: true, scenario }
}

/** Checks every scenario of an answer for `operation`; at most `limit` scenarios are accepted. */
export const acceptAnswer = (
  spec: ApiSpec,
  operation: Operation,
  answer: Answer,
  origin: AnswerOrigin,
  limit: number
): Acceptance => {
  const counter: Counter = { ...emptyCounts }
  const scenarios: Array<Scenario> = []
  const notes: Array<string> = []
  for (const [index, item] of answer.scenarios.entries()) {
    counter.scenariosReceived++
    const checked = checkScenario(spec, operation, item, origin, counter)
    if (!checked.ok) {
      notes.push(`AI scenario ${index + 1} dropped because ${checked.reason}`)
      continue
    }
    if (scenarios.some((scenario) => scenario.id === checked.scenario.id)) {
      counter.duplicateScenarios++
      continue
    }
    if (expectationFor(item) !== item.expect) counter.repairedExpectations++
    if (scenarios.length < limit) scenarios.push(checked.scenario)
  }
  counter.scenariosAccepted = scenarios.length
  return { scenarios, counts: counter, notes }
}
