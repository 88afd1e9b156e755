/** Builders for the scenarios and steps this generator emits. */
import type {
  ExpectedOutcome,
  Intent,
  Provenance,
  Scenario,
  Step,
  StepRequest
} from "../../scenario/Scenario.js"
import type { Operation } from "../../spec/model.js"

/** Provenance of a schema-generated scenario; `source` is left out when absent. */
export const provenance = (
  rule: string,
  intent: Intent,
  description: string,
  source?: string,
  values?: "examples" | "generated"
): Provenance => ({
  generator: "schema",
  rule,
  intent,
  description,
  ...(source === undefined ? {} : { source }),
  ...(values === undefined ? {} : { values })
})

/** A step with no extraction, binding or assertion unless given. */
export const makeStep = (
  id: string,
  operation: Operation,
  request: StepRequest,
  expect: ExpectedOutcome,
  extra: Partial<Pick<Step, "extract" | "bind" | "afterDelete">> = {}
): Step => ({
  id,
  operationId: operation.id,
  request,
  expect,
  extract: extra.extract ?? [],
  bind: extra.bind ?? [],
  assertions: [],
  ...(extra.afterDelete === undefined ? {} : { afterDelete: extra.afterDelete })
})

/** A one-step scenario for one operation. */
export const singleStepScenario = (
  id: string,
  operation: Operation,
  origin: Provenance,
  request: StepRequest,
  expect: ExpectedOutcome
): Scenario => ({
  id,
  operationIds: [operation.id],
  provenance: origin,
  steps: [makeStep("step-1", operation, request, expect)]
})

/** Whether an operation cannot be called without credentials: every security alternative names a scheme. */
export const needsCredentials = (operation: Operation): boolean =>
  operation.security.length > 0 && operation.security.every((requirement) => requirement.length > 0)

/** Numbers scenario ids per rule (`<operationId>:<rule>:<n>`, n from 1) in the order they are requested. */
export const idCounter = (prefix: string) => {
  const counts = new Map<string, number>()
  return (rule: string): string => {
    const next = (counts.get(rule) ?? 0) + 1
    counts.set(rule, next)
    return `${prefix}:${rule}:${next}`
  }
}
