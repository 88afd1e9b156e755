/**
 * Checks: named judgements of one response. A check is a pure function of the step, its operation
 * and the exchange; it never sends requests.
 */
import { Schema } from "effect"
import type { Exchange } from "../execute/Exchange.js"
import type { Scenario, Step } from "../scenario/Scenario.js"
import type { ApiSpec, Operation } from "../spec/model.js"

export const CheckName = Schema.Literal(
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_schema_conformance",
  "response_headers_conformance",
  "negative_data_rejection",
  "positive_data_acceptance",
  "ignored_auth",
  "use_after_free",
  "max_response_time",
  "business_rule"
)
export type CheckName = typeof CheckName.Type

export const allCheckNames: ReadonlyArray<CheckName> = CheckName.literals

/** Settings that checks read. */
export interface CheckOptions {
  /** A response slower than this fails `max_response_time`; undefined turns the limit off. */
  readonly maxResponseTimeMs?: number
}

/** Everything a check may look at. */
export interface CheckInput {
  readonly spec: ApiSpec
  readonly operation: Operation
  readonly scenario: Scenario
  readonly step: Step
  readonly exchange: Exchange
  /** The response body parsed as JSON when its media type is JSON and it parses; otherwise undefined. */
  readonly body?: { readonly value: unknown }
  readonly options: CheckOptions
  /**
   * Status of the last DELETE step sent earlier in the same scenario, `undefined` when it got no
   * response or there was none. `use_after_free` judges only after a delete that succeeded.
   */
  readonly lastDeleteStatus?: number
}

/**
 * A check's verdict. `not_validated` means the check could not judge (for example no schema is
 * declared for the response's media type); reports count it and never show it as passed.
 */
export type CheckOutcome =
  | { readonly status: "passed" }
  | { readonly status: "skipped"; readonly reason: string }
  | { readonly status: "not_validated"; readonly reason: string }
  | {
      readonly status: "failed"
      readonly message: string
      /** What the spec or the scenario expected, in words. */
      readonly expected: string
      /**
       * What makes two failures the same bug, such as `500` or `/items/0/price: must be number`.
       * Findings are grouped by operation, check and signature.
       */
      readonly signature: string
    }

export interface Check {
  readonly name: CheckName
  readonly judge: (input: CheckInput) => CheckOutcome
}

/** The `failed` variant of `CheckOutcome`, which findings are built from. */
export type FailedOutcome = Extract<CheckOutcome, { readonly status: "failed" }>
