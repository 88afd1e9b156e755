/**
 * The hybrid generator: the schema generator's scenarios for coverage, plus the AI scenarios that add
 * something. An AI scenario is dropped when it is equivalent to one already kept.
 *
 * Equivalence: two scenarios are equivalent when they cover the same operations, belong to the same
 * intent class, and send the same requests. The intent classes are `accept` (valid, boundary, flow:
 * input the API must accept), `reject` (invalid), `auth`, `business_rule` and `edge_case`. Requests
 * are compared per step as canonical JSON (sorted keys) of the operation id, the request and the
 * expected outcome. Assertions, descriptions and ids are ignored.
 */
import { Effect } from "effect"
import type { Intent, Scenario } from "../../scenario/Scenario.js"
import { canonicalJson } from "../../spec/canonical.js"
import type { ApiSpec, Operation } from "../../spec/model.js"
import type { GeneratedScenarios, GenerateOptions, ScenarioGenerator } from "../Generator.js"

const intentClass = (intent: Intent): string => {
  switch (intent) {
    case "valid":
    case "boundary":
    case "flow":
      return "accept"
    case "invalid":
      return "reject"
    default:
      return intent
  }
}

/** Returns the text two scenarios share exactly when they are equivalent (see the module comment). */
export const equivalenceKey = (scenario: Scenario): string =>
  canonicalJson({
    operationIds: scenario.operationIds,
    intentClass: intentClass(scenario.provenance.intent),
    steps: scenario.steps.map((step) => ({
      operationId: step.operationId,
      request: step.request,
      expect: step.expect
    }))
  })

/** Appends the `extra` scenarios that are not equivalent to any earlier one; returns the result and the count dropped. */
export const mergeScenarios = (
  base: ReadonlyArray<Scenario>,
  extra: ReadonlyArray<Scenario>
): { readonly scenarios: ReadonlyArray<Scenario>; readonly duplicates: number } => {
  const seen = new Set(base.map(equivalenceKey))
  const scenarios = [...base]
  let duplicates = 0
  for (const scenario of extra) {
    const key = equivalenceKey(scenario)
    if (seen.has(key)) {
      duplicates++
      continue
    }
    seen.add(key)
    scenarios.push(scenario)
  }
  return { scenarios, duplicates }
}

const combine = (
  schemaPart: GeneratedScenarios,
  aiPart: GeneratedScenarios,
  operationId: string
): GeneratedScenarios => {
  const merged = mergeScenarios(schemaPart.scenarios, aiPart.scenarios)
  const duplicateNote =
    merged.duplicates === 0
      ? []
      : [
          {
            operationId,
            message: `${merged.duplicates} AI scenario(s) dropped as equivalent to schema scenarios`
          }
        ]
  return { scenarios: merged.scenarios, notes: [...schemaPart.notes, ...aiPart.notes, ...duplicateNote] }
}

/**
 * Combines a schema generator and an AI generator: schema scenarios first, then the AI scenarios that
 * are not equivalent to any earlier scenario. The schema generator's own cap on scenarios per operation
 * applies to its part; the AI part adds at most `maxScenariosPerOperation` more.
 */
export const combineGenerators = <E1, R1, E2, R2>(
  schema: ScenarioGenerator<E1, R1>,
  ai: ScenarioGenerator<E2, R2>
): ScenarioGenerator<E1 | E2, R1 | R2> => ({
  // The contract has no name for a mix; `ai` marks that a model takes part.
  name: "ai",
  forOperation: (spec: ApiSpec, operation: Operation, options: GenerateOptions) =>
    Effect.map(
      Effect.all([schema.forOperation(spec, operation, options), ai.forOperation(spec, operation, options)]),
      ([schemaPart, aiPart]) => combine(schemaPart, aiPart, operation.id)
    ),
  flows: (spec: ApiSpec, options: GenerateOptions) =>
    Effect.map(Effect.all([schema.flows(spec, options), ai.flows(spec, options)]), ([schemaPart, aiPart]) =>
      combine(schemaPart, aiPart, "flows")
    )
})
