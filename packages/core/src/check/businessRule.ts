/** The `business_rule` check: the assertions a scenario's step carries, evaluated against the response. */
import { Either } from "effect"
import type { Assertion } from "../scenario/Scenario.js"
import type { Check, CheckInput } from "./Check.js"
import { parseExpression } from "./expression.js"
import { type Evaluation, type ExpressionContext, evaluateExpression } from "./expressionEval.js"
import { failed, notValidated, passed, skipped } from "./outcome.js"
import { isOutcome, jsonBodyOf, judgeableResponse } from "./response.js"

// Long rules are cut in signatures, which only need to tell findings apart.
const maxSignatureLength = 200

// `$.body` is the parsed JSON, the text of any other body, or missing when there is no body.
const bodyValueOf = (input: CheckInput): unknown => {
  const body = jsonBodyOf(input)
  if (body.kind === "parsed") return body.value
  if (body.kind === "bodiless") return undefined
  return input.exchange.response?.body
}

const quote = (assertion: Assertion): string =>
  assertion.specText === undefined
    ? `"${assertion.rule}"`
    : `"${assertion.rule}" (spec: "${assertion.specText}")`

/**
 * Evaluates every `step.assertions[].expression` (the language of `expression.ts`) against the
 * response. A false assertion fails the check. An assertion that does not parse or evaluate makes the
 * outcome `not_validated` unless another one fails, because a badly written assertion is not a bug
 * of the API.
 */
export const businessRule: Check = {
  name: "business_rule",
  judge: (input) => {
    const assertions = input.step.assertions
    if (assertions.length === 0) return skipped("the step has no assertions")
    const response = judgeableResponse(input)
    if (isOutcome(response)) return response
    const context: ExpressionContext = {
      status: response.status,
      headers: response.headers,
      body: bodyValueOf(input)
    }

    const violated: Array<{ readonly assertion: Assertion; readonly evaluation: Evaluation }> = []
    const unusable: Array<string> = []
    for (const assertion of assertions) {
      const evaluation = Either.flatMap(parseExpression(assertion.expression), (expression) =>
        evaluateExpression(assertion.expression, expression, context)
      )
      if (Either.isLeft(evaluation)) {
        const at = evaluation.left.position === undefined ? "" : ` at character ${evaluation.left.position}`
        unusable.push(
          `assertion ${quote(assertion)} \`${assertion.expression}\`: ${evaluation.left.message}${at}`
        )
      } else if (!evaluation.right.result) {
        violated.push({ assertion, evaluation: evaluation.right })
      }
    }

    const first = violated[0]
    if (first === undefined) return unusable.length === 0 ? passed() : notValidated(unusable.join("; "))
    const described = violated.map(({ assertion, evaluation }) => {
      const values = evaluation.values.length === 0 ? "" : ` with ${evaluation.values.join(", ")}`
      return `${quote(assertion)} does not hold: \`${assertion.expression}\` is false${values}`
    })
    const skippedNote =
      unusable.length === 0 ? "" : ` (${unusable.length} assertion(s) could not be evaluated)`
    return failed(
      `${described.join("; ")}${skippedNote}`,
      violated.map(({ assertion }) => assertion.rule).join("; "),
      first.assertion.rule.slice(0, maxSignatureLength)
    )
  }
}
