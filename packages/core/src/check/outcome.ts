/** Builders of check outcomes, for the checks in this folder and for custom checks. */
import type { CheckOutcome, FailedOutcome } from "./Check.js"

/** Builds a `passed` outcome. */
export const passed = (): CheckOutcome => ({ status: "passed" })

/** Builds a `skipped` outcome: the check does not apply to this step or response. */
export const skipped = (reason: string): CheckOutcome => ({ status: "skipped", reason })

/** Builds a `not_validated` outcome: the check applies but could not judge. */
export const notValidated = (reason: string): CheckOutcome => ({ status: "not_validated", reason })

/** Builds a `failed` outcome. */
export const failed = (message: string, expected: string, signature: string): FailedOutcome => ({
  status: "failed",
  message,
  expected,
  signature
})
