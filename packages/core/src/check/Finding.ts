import { Schema } from "effect"
import { RecordedRequest, RecordedResponse } from "../execute/Exchange.js"
import { Provenance } from "../scenario/Scenario.js"
import { CheckName } from "./Check.js"

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
  scenarioId: Schema.String,
  stepId: Schema.String,
  provenance: Provenance
})
export type Finding = typeof Finding.Type
