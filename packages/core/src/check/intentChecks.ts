/**
 * Checks that judge a response against what the scenario meant its request to be:
 * `negative_data_rejection`, `positive_data_acceptance`, `ignored_auth` and `use_after_free`.
 */
import type { Scenario } from "../scenario/Scenario.js"
import type { Check } from "./Check.js"
import { failed, passed, skipped } from "./outcome.js"
import { isOutcome, judgeableResponse } from "./response.js"

const isSuccess = (status: number): boolean => status >= 200 && status < 300
const isClientError = (status: number): boolean => status >= 400 && status < 500

const describeRule = (scenario: Scenario): string =>
  scenario.provenance.source === undefined
    ? scenario.provenance.rule
    : `${scenario.provenance.rule} ${scenario.provenance.source}`

/**
 * Fails a 2xx response to invalid input. A step sends invalid input when it expects `4xx`, or when its
 * scenario's intent is `invalid` and the step does not expect `2xx`. A step of an invalid scenario
 * that expects 2xx is a setup step, such as creating the resource that the invalid request targets.
 */
export const negativeDataRejection: Check = {
  name: "negative_data_rejection",
  judge: (input) => {
    const { step, scenario } = input
    const sendsInvalidInput =
      step.expect === "4xx" || (scenario.provenance.intent === "invalid" && step.expect !== "2xx")
    if (!sendsInvalidInput) return skipped("the step does not send invalid input")
    const response = judgeableResponse(input)
    if (isOutcome(response)) return response
    if (isClientError(response.status)) return passed()
    if (!isSuccess(response.status))
      return skipped(`status ${response.status} neither accepts nor rejects the input`)
    const summary = scenario.provenance.description ?? describeRule(scenario)
    return failed(
      `Invalid input was accepted with ${response.status}: ${summary}`,
      "a 4xx status that rejects the input",
      describeRule(scenario)
    )
  }
}

const positiveIntents = new Set(["valid", "boundary", "flow"])

/**
 * Fails a 4xx response to valid input, except 401, 403 (the configured credentials, not the input)
 * and 429 (rate limiting). A 404 fails only when the step's request uses a value extracted from an
 * earlier step (`bind`), such as reading what a flow just created. For a request built from
 * generated ids a 404 is the expected response, so failing it would only add noise.
 */
export const positiveDataAcceptance: Check = {
  name: "positive_data_acceptance",
  judge: (input) => {
    const { step, scenario } = input
    if (step.expect !== "2xx" || !positiveIntents.has(scenario.provenance.intent)) {
      return skipped("the step does not send input that must be accepted")
    }
    const response = judgeableResponse(input)
    if (isOutcome(response)) return response
    const status = response.status
    if (isSuccess(status)) return passed()
    if (!isClientError(status)) return skipped(`status ${status} neither accepts nor rejects the input`)
    if (status === 401 || status === 403)
      return skipped(`status ${status} rejects the credentials, not the input`)
    if (status === 429) return skipped("rate limited")
    if (status === 404 && step.bind.length === 0) {
      return skipped("404 for generated identifiers is expected; only a 404 on an extracted value fails")
    }
    // A conflict reports the API's state, not the input: an example email sent by every run is taken
    // after the first, and a correct API answers 409 however valid the request is.
    if (status === 409)
      return skipped("status 409 reports a conflict with the API's current state, not invalid input")
    // Generated values can break rules no schema states (a reference to a resource that does not
    // exist), which a correct API rejects with 422.
    if (status === 422 && scenario.provenance.values === "generated" && step.bind.length === 0) {
      return skipped(`status ${status} may reject a rule the schema cannot state; the values were generated`)
    }
    const summary = scenario.provenance.description ?? describeRule(scenario)
    const bound =
      step.bind.length > 0 ? ` (using ${step.bind.map((binding) => binding.variable).join(", ")})` : ""
    // The schema may not constrain which values the API takes, as for a cursor the API issued itself.
    const hint =
      scenario.provenance.values === "generated"
        ? ". If a value must be one the API issued, such as a cursor or a token, give it an example in the spec"
        : ""
    return failed(
      `Valid input was rejected with ${status}${bound}: ${summary}${hint}`,
      "a 2xx status",
      String(status)
    )
  }
}

/**
 * Fails a 2xx response to a request sent without credentials or with wrong ones, on an operation whose
 * `security` requires some. A 401 or 403 passes.
 */
export const ignoredAuth: Check = {
  name: "ignored_auth",
  judge: (input) => {
    const mode = input.step.request.auth
    if (mode === "default") return skipped("the step sends the configured credentials")
    if (input.operation.security.length === 0) return skipped("the operation requires no credentials")
    // An empty requirement among the alternatives (`security: [{}, …]`) makes credentials optional.
    if (input.operation.security.some((requirement) => requirement.length === 0)) {
      return skipped("the operation accepts requests without credentials")
    }
    const response = judgeableResponse(input)
    if (isOutcome(response)) return response
    if (response.status === 401 || response.status === 403) return passed()
    if (!isSuccess(response.status))
      return skipped(`status ${response.status} neither grants nor denies access`)
    const sent = mode === "none" ? "without credentials" : "with invalid credentials"
    return failed(`A request ${sent} received ${response.status}`, "401 or 403", `auth ${mode}`)
  }
}

/** Fails a 2xx response to a step that reads a resource after it was deleted (`afterDelete`). */
export const useAfterFree: Check = {
  name: "use_after_free",
  judge: (input) => {
    if (input.step.afterDelete !== true) return skipped("the step does not follow a delete")
    // A delete that was refused (401, 403) or failed left the resource in place, so serving it is right.
    if (input.lastDeleteStatus === undefined || !isSuccess(input.lastDeleteStatus)) {
      const status = input.lastDeleteStatus === undefined ? "no response" : `status ${input.lastDeleteStatus}`
      return skipped(`the delete before this step did not succeed (${status})`)
    }
    const response = judgeableResponse(input)
    if (isOutcome(response)) return response
    if (isClientError(response.status)) return passed()
    if (!isSuccess(response.status))
      return skipped(`status ${response.status} neither serves nor denies the resource`)
    return failed(
      `The deleted resource was still served with ${response.status}`,
      "404 or 410 for a deleted resource",
      "2xx after delete"
    )
  }
}
