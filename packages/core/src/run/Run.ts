/**
 * A run: one execution of a spec against a target, and the report it produces.
 */
import { Schema } from "effect"
import { Finding } from "../check/Finding.js"

export const RunStatus = Schema.Literal("queued", "running", "passed", "failed", "errored", "cancelled")
export type RunStatus = typeof RunStatus.Type

export const RunInfo = Schema.Struct({
  id: Schema.String,
  status: RunStatus,
  seed: Schema.Number,
  /** ISO 8601 timestamps. */
  startedAt: Schema.String,
  finishedAt: Schema.optional(Schema.String),
  /** The reason the run errored or was cancelled, when it did. */
  reason: Schema.optional(Schema.String)
})
export type RunInfo = typeof RunInfo.Type

/** Model usage of one run; all zero when no model is configured. */
export const AiUsage = Schema.Struct({
  calls: Schema.Number,
  cacheHits: Schema.Number,
  promptTokens: Schema.Number,
  completionTokens: Schema.Number,
  estimatedCost: Schema.Number,
  /** Operations that fell back to the schema generator after a model failure or the budget ran out. */
  fallbacks: Schema.Number,
  /** The reason no more model calls were made, such as `budget reached`, when that happened. */
  stoppedReason: Schema.optional(Schema.String),
  /** Failed model calls by kind (`rateLimited`, `serverErrors`, `timeouts`, `invalidAnswers`, …) and retries. */
  failures: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Number })),
  /** Scenarios the model returned and accepted, and what was dropped or repaired, by reason. */
  acceptance: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Number }))
})
export type AiUsage = typeof AiUsage.Type

export const RunSummary = Schema.Struct({
  operations: Schema.Number,
  /** Operations left out because of spec problems or filters. */
  skippedOperations: Schema.Number,
  scenarios: Schema.Number,
  steps: Schema.Number,
  findings: Schema.Number,
  /** Check verdicts that could not be given, such as a response with no declared schema. */
  notValidated: Schema.Number,
  /** Requests that ended without a response (timeouts, refused connections). */
  failedRequests: Schema.Number,
  /** Steps whose final answer was still a 429 or 503 with Retry-After. */
  rateLimited: Schema.Number,
  /**
   * Multi-step scenarios (create, read, update, delete flows and OpenAPI links): how many ran, and how
   * many of them stopped before their last step, as the notes explain.
   */
  flows: Schema.Struct({ run: Schema.Number, stopped: Schema.Number }),
  ai: Schema.optional(AiUsage)
})
export type RunSummary = typeof RunSummary.Type

export const OperationCoverage = Schema.Struct({
  operationId: Schema.String,
  method: Schema.String,
  path: Schema.String,
  statusesDeclared: Schema.Array(Schema.String),
  /** Distinct statuses received, ascending. */
  statusesSeen: Schema.Array(Schema.Number),
  /** Checks run on this operation and how many of them failed, for the JUnit report. */
  checks: Schema.Record({
    key: Schema.String,
    value: Schema.Struct({ passed: Schema.Number, failed: Schema.Number, notValidated: Schema.Number })
  }),
  /**
   * Reasons checks could not judge some responses, such as a media type with no schema: up to five
   * distinct reasons per operation, each with how often it occurred. Absent when every response was judged.
   */
  notValidated: Schema.optional(
    Schema.Array(Schema.Struct({ check: Schema.String, reason: Schema.String, count: Schema.Number }))
  )
})
export type OperationCoverage = typeof OperationCoverage.Type

/** Everything a report renders. */
export const RunReport = Schema.Struct({
  run: RunInfo,
  spec: Schema.Struct({ title: Schema.String, version: Schema.String, source: Schema.String }),
  baseUrl: Schema.String,
  summary: RunSummary,
  coverage: Schema.Array(OperationCoverage),
  findings: Schema.Array(Finding),
  /** Spec problems and generation notes a reader should know about. */
  notes: Schema.Array(Schema.String),
  /** Operations left out of the run, such as unusable ones, with the reason; also listed in `notes`. */
  leftOut: Schema.optional(Schema.Array(Schema.Struct({ operationId: Schema.String, reason: Schema.String })))
})
export type RunReport = typeof RunReport.Type
