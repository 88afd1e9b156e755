/**
 * Run events: what happened in a run, in order. `sequence` starts at 1 and grows by one per event of
 * the same run, so a client that reconnects can ask for what came after the last one it saw.
 */
import { Schema } from "effect"
import { CheckName } from "../check/Check.js"
import { GeneratorName, Intent } from "../scenario/Scenario.js"
import { RunStatus, RunSummary } from "./Run.js"

const common = {
  runId: Schema.String,
  sequence: Schema.Number,
  /** ISO 8601 time the event was recorded. */
  at: Schema.String
}

export const RunStarted = Schema.TaggedStruct("RunStarted", {
  ...common,
  seed: Schema.Number,
  specTitle: Schema.String,
  baseUrl: Schema.String
})

export const OperationsPlanned = Schema.TaggedStruct("OperationsPlanned", {
  ...common,
  operations: Schema.Number,
  skipped: Schema.Array(Schema.Struct({ operationId: Schema.String, reason: Schema.String }))
})

export const ScenarioGenerated = Schema.TaggedStruct("ScenarioGenerated", {
  ...common,
  scenarioId: Schema.String,
  operationIds: Schema.Array(Schema.String),
  generator: GeneratorName,
  rule: Schema.String,
  intent: Intent
})

export const StepExecuted = Schema.TaggedStruct("StepExecuted", {
  ...common,
  scenarioId: Schema.String,
  stepId: Schema.String,
  operationId: Schema.String,
  method: Schema.String,
  url: Schema.String,
  status: Schema.optional(Schema.Number),
  /** Why the request got no answer, when it did not. */
  failure: Schema.optional(Schema.String),
  elapsedMs: Schema.Number,
  failedChecks: Schema.Array(CheckName)
})

export const FindingRecorded = Schema.TaggedStruct("FindingRecorded", {
  ...common,
  findingId: Schema.String,
  operationId: Schema.String,
  check: CheckName,
  message: Schema.String
})

export const RunFinished = Schema.TaggedStruct("RunFinished", {
  ...common,
  status: RunStatus,
  summary: RunSummary,
  reason: Schema.optional(Schema.String)
})

export const RunEvent = Schema.Union(
  RunStarted,
  OperationsPlanned,
  ScenarioGenerated,
  StepExecuted,
  FindingRecorded,
  RunFinished
)
export type RunEvent = typeof RunEvent.Type

/** A run event before the bus gives it its place in the run's order. */
export type RunEventInput = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, "sequence" | "at">
    : never
  : never
