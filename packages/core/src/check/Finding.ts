import { Schema } from "effect"
import { RecordedRequest, RecordedResponse } from "../execute/Exchange.js"
import { Provenance } from "../scenario/Scenario.js"
import { CheckName } from "./Check.js"

/** A step of a flow that came before the failing one: its request, the status it got and its curl line. */
export const StepBefore = Schema.Struct({
  request: RecordedRequest,
  status: Schema.optional(Schema.Number),
  curl: Schema.String
})
export type StepBefore = typeof StepBefore.Type

/** A failed check with its evidence; identical failures are one finding with a count. */
export const Finding = Schema.Struct({
  id: Schema.String,
  operationId: Schema.String,
  method: Schema.String,
  path: Schema.String,
  check: CheckName,
  signature: Schema.String,
  count: Schema.Number,
  message: Schema.String,
  expected: Schema.String,
  request: RecordedRequest,
  response: Schema.optional(RecordedResponse),
  /** A shell command that sends the same request again. */
  curl: Schema.String,
  /**
   * The steps of a flow before the failing one, in order. Their ids differ on another server, so
   * reproducing the finding means running them first and using the ids they return.
   */
  stepsBefore: Schema.optional(Schema.Array(StepBefore)),
  scenarioId: Schema.String,
  stepId: Schema.String,
  provenance: Provenance
})
export type Finding = typeof Finding.Type
