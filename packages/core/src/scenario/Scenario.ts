/**
 * Scenarios: the tests QAWave runs. A scenario is an ordered list of steps; a step is one request with
 * what it expects and what it extracts for later steps. Scenarios cross the wire (reports, caches, the
 * model's answers), so they are Effect Schemas.
 */
import { Schema } from "effect"

/** The generator that produced a scenario. */
export const GeneratorName = Schema.Literal("schema", "ai")
export type GeneratorName = typeof GeneratorName.Type

/** What a scenario's input is meant to be, which decides how its responses are judged. */
export const Intent = Schema.Literal(
  "valid",
  "invalid",
  "boundary",
  "business_rule",
  "edge_case",
  "flow",
  "auth"
)
export type Intent = typeof Intent.Type

/** The origin of a scenario, so a reader can judge where a finding comes from. */
export const Provenance = Schema.Struct({
  generator: GeneratorName,
  /** The rule that produced it, such as `positive.example`, `negative.missing-required`, `flow.create-read`. */
  rule: Schema.String,
  intent: Intent,
  /** The schema keyword, JSON pointer or link involved, when there is one. */
  source: Schema.optional(Schema.String),
  /** Human-readable summary of what is being tested. */
  description: Schema.optional(Schema.String),
  /**
   * The source of the request's values: the spec's examples, or values generated from the schemas.
   * Generated identifiers may name resources that do not exist, which a correct API rejects.
   */
  values: Schema.optional(Schema.Literal("examples", "generated")),
  model: Schema.optional(Schema.String),
  promptVersion: Schema.optional(Schema.String),
  promptHash: Schema.optional(Schema.String),
  /** The spec text (a description or constraint) an AI scenario was derived from. */
  specText: Schema.optional(Schema.String)
})
export type Provenance = typeof Provenance.Type

/**
 * How a step's response should look: `2xx` for valid input, `4xx` for invalid input, `auth` for a
 * request with missing or wrong credentials (401 or 403), `any` when only the generic checks apply.
 */
export const ExpectedOutcome = Schema.Literal("2xx", "4xx", "auth", "not_found", "any")
export type ExpectedOutcome = typeof ExpectedOutcome.Type

/** A value taken from a response for later steps: a JSON pointer into the body, or a header name. */
export const Extraction = Schema.Struct({
  variable: Schema.String,
  from: Schema.Literal("body", "header"),
  /** JSON pointer (`/id`, `/data/0/id`) for `body`; the header name for `header`. */
  path: Schema.String
})
export type Extraction = typeof Extraction.Type

/** The place in this step's request that receives a variable extracted by an earlier step. */
export const Binding = Schema.Struct({
  variable: Schema.String,
  location: Schema.Literal("path", "query", "header", "cookie", "body"),
  /** Parameter name, or a JSON pointer into the body (`""` for the whole body). */
  target: Schema.String
})
export type Binding = typeof Binding.Type

/** The credentials a step sends: the configured ones, none, or deliberately wrong ones. */
export const AuthMode = Schema.Literal("default", "none", "invalid")
export type AuthMode = typeof AuthMode.Type

export const RequestBodyValue = Schema.Struct({
  mediaType: Schema.String,
  value: Schema.Unknown
})
export type RequestBodyValue = typeof RequestBodyValue.Type

/** The request of a step, before encoding: values are plain JSON, encoding follows the spec. */
export const StepRequest = Schema.Struct({
  pathParams: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  query: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  headers: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  cookies: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  body: Schema.optional(RequestBodyValue),
  auth: AuthMode
})
export type StepRequest = typeof StepRequest.Type

/**
 * An assertion on a response, as the AI generator writes them: `expression` is evaluated against the
 * response (see the `business_rule` check) and `rule` quotes the rule in words.
 */
export const Assertion = Schema.Struct({
  rule: Schema.String,
  expression: Schema.String,
  specText: Schema.optional(Schema.String)
})
export type Assertion = typeof Assertion.Type

export const Step = Schema.Struct({
  id: Schema.String,
  operationId: Schema.String,
  request: StepRequest,
  expect: ExpectedOutcome,
  extract: Schema.Array(Extraction),
  bind: Schema.Array(Binding),
  assertions: Schema.Array(Assertion),
  /** Marks the step that reads a resource after it was deleted, for the `use_after_free` check. */
  afterDelete: Schema.optional(Schema.Boolean)
})
export type Step = typeof Step.Type

export const Scenario = Schema.Struct({
  id: Schema.String,
  operationIds: Schema.Array(Schema.String),
  provenance: Provenance,
  steps: Schema.Array(Step)
})
export type Scenario = typeof Scenario.Type

/** An empty request with the configured credentials, for generators to fill in. */
export const emptyRequest = (): StepRequest => ({
  pathParams: {},
  query: {},
  headers: {},
  cookies: {},
  auth: "default"
})
