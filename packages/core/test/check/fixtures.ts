/** Hand-built check inputs: a spec with Map-backed definitions, operations, scenarios and exchanges. */
import type { CheckInput, CheckOptions, CheckOutcome } from "../../src/check/Check.js"
import type { Exchange, ExchangeFailure, RecordedResponse } from "../../src/execute/Exchange.js"
import type { Assertion, Binding, Intent, Scenario, Step, StepRequest } from "../../src/scenario/Scenario.js"
import type {
  ApiSpec,
  HttpMethod,
  JsonSchema,
  MediaType,
  Operation,
  Response,
  ResponseHeader,
  SecurityRequirement
} from "../../src/spec/model.js"

/** Builds a spec whose `definitions` read from a Map. */
export const makeSpec = (
  definitions: Record<string, JsonSchema> = {},
  operations: ReadonlyArray<Operation> = []
): ApiSpec => {
  const map = new Map(Object.entries(definitions))
  return {
    title: "Fixture API",
    version: "1.0.0",
    specVersion: "3.1",
    source: "memory",
    contentHash: "fixture",
    servers: ["/"],
    securitySchemes: {},
    definitions: { get: (key) => map.get(key) },
    operations,
    problems: [],
    warnings: []
  }
}

export const mediaType = (name: string, schema?: JsonSchema): MediaType => ({
  mediaType: name,
  ...(schema === undefined ? {} : { schema }),
  examples: [],
  encoding: {}
})

export const response = (
  status: string,
  content: ReadonlyArray<MediaType> = [],
  headers: ReadonlyArray<ResponseHeader> = []
): Response => ({ status, description: `response ${status}`, content, headers, links: [] })

export const makeOperation = (
  overrides: {
    readonly method?: HttpMethod
    readonly path?: string
    readonly responses?: ReadonlyArray<Response>
    readonly security?: ReadonlyArray<SecurityRequirement>
  } = {}
): Operation => ({
  id: "getItem",
  method: overrides.method ?? "get",
  path: overrides.path ?? "/items/{id}",
  tags: [],
  deprecated: false,
  servers: ["/"],
  parameters: [],
  responses: overrides.responses ?? [response("200", [mediaType("application/json", { type: "object" })])],
  security: overrides.security ?? [],
  fingerprint: "fingerprint",
  problems: [],
  pointer: "/paths/~1items~1{id}/get"
})

export const makeScenario = (intent: Intent = "valid", rule = "positive.example"): Scenario => ({
  id: `scenario-${intent}`,
  operationIds: ["getItem"],
  provenance: { generator: "schema", rule, intent },
  steps: []
})

export const makeStep = (
  overrides: {
    readonly expect?: Step["expect"]
    readonly auth?: StepRequest["auth"]
    readonly bind?: ReadonlyArray<Binding>
    readonly assertions?: ReadonlyArray<Assertion>
    readonly afterDelete?: boolean
  } = {}
): Step => ({
  id: "step-1",
  operationId: "getItem",
  request: { pathParams: {}, query: {}, headers: {}, cookies: {}, auth: overrides.auth ?? "default" },
  expect: overrides.expect ?? "any",
  extract: [],
  bind: overrides.bind ?? [],
  assertions: overrides.assertions ?? [],
  ...(overrides.afterDelete === undefined ? {} : { afterDelete: overrides.afterDelete })
})

/** Builds an exchange with a response; `body` objects are serialized as JSON. */
export const makeExchange = (
  options: {
    readonly status?: number
    readonly headers?: Record<string, string>
    readonly body?: unknown
    readonly method?: string
    readonly elapsedMs?: number
    readonly busyMs?: number
    readonly truncated?: boolean
    readonly rateLimited?: boolean
  } = {}
): Exchange => {
  const body =
    options.body === undefined
      ? ""
      : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body)
  const defaultHeaders: Record<string, string> =
    options.body === undefined ? {} : { "content-type": "application/json" }
  const recorded: RecordedResponse = {
    status: options.status ?? 200,
    headers: options.headers ?? defaultHeaders,
    body,
    bodyBytes: Buffer.byteLength(body),
    truncated: options.truncated ?? false,
    elapsedMs: options.elapsedMs ?? 5,
    ...(options.busyMs === undefined ? {} : { busyMs: options.busyMs })
  }
  return {
    request: { method: options.method ?? "GET", url: "http://127.0.0.1:1/items/1", headers: {} },
    response: recorded,
    retries: 0,
    rateLimited: options.rateLimited ?? false
  }
}

export const failedExchange = (failure: ExchangeFailure): Exchange => ({
  request: { method: "GET", url: "http://127.0.0.1:1/items/1", headers: {} },
  failure,
  retries: 0,
  rateLimited: false
})

/** Builds a check input; the body is left for the checks to parse unless `parsedBody` is given. */
export const makeInput = (
  parts: {
    readonly spec?: ApiSpec
    readonly operation?: Operation
    readonly scenario?: Scenario
    readonly step?: Step
    readonly exchange?: Exchange
    readonly options?: CheckOptions
    readonly parsedBody?: { readonly value: unknown }
  } = {}
): CheckInput => ({
  spec: parts.spec ?? makeSpec(),
  operation: parts.operation ?? makeOperation(),
  scenario: parts.scenario ?? makeScenario(),
  step: parts.step ?? makeStep(),
  exchange: parts.exchange ?? makeExchange(),
  ...(parts.parsedBody === undefined ? {} : { body: parts.parsedBody }),
  options: parts.options ?? {}
})

/** Returns a failed outcome's signature, or the outcome's status when it did not fail. */
export const signatureOf = (outcome: CheckOutcome): string =>
  outcome.status === "failed" ? outcome.signature : `(${outcome.status})`

/** Returns a failed outcome's message, or the outcome's status when it did not fail. */
export const messageOf = (outcome: CheckOutcome): string =>
  outcome.status === "failed" ? outcome.message : `(${outcome.status})`

/** Returns the reason of a skipped or not validated outcome, or the outcome's status otherwise. */
export const reasonOf = (outcome: CheckOutcome): string =>
  outcome.status === "skipped" || outcome.status === "not_validated" ? outcome.reason : `(${outcome.status})`
