/**
 * Executes one scenario's steps in order, passing extracted values along, and judges each response.
 */
import { Effect } from "effect"
import type { Check, CheckName, CheckOutcome } from "../check/Check.js"
import { parseResponseBody } from "../check/index.js"
import type { Exchange } from "../execute/Exchange.js"
import {
  type EncodeOptions,
  type ExecuteOptions,
  type ExecutorService,
  encodeRequest
} from "../execute/index.js"
import type { Scenario, Step } from "../scenario/Scenario.js"
import type { ApiSpec, Operation } from "../spec/model.js"
import { IdPool, type ScenarioResources } from "./idPool.js"
import { applyBindings, extractVariables, missingVariables } from "./variables.js"

/** What the runner needs to execute and judge steps. */
export interface StepContext {
  readonly executor: ExecutorService
  /** Whether the caller installed a tracer of its own, so each scenario gets a span. */
  readonly traced: boolean
  readonly spec: ApiSpec
  readonly operations: ReadonlyMap<string, Operation>
  readonly checks: ReadonlyArray<Check>
  readonly encode: Omit<EncodeOptions, "spec">
  /** Sent with every request: the target's rate limit key, and the run's timeout and rate if it sets them. */
  readonly execute: ExecuteOptions
  /** Ids of resources the run created, put into path parameters that name such a resource. */
  readonly ids?: IdPool
  readonly maxResponseTimeMs?: number
}

/** One judged step, as the runner reports it. */
export interface StepOutcome {
  readonly scenario: Scenario
  readonly step: Step
  readonly operation: Operation
  readonly exchange: Exchange
  readonly outcomes: ReadonlyArray<readonly [CheckName, CheckOutcome]>
  /**
   * The exchanges that lead to this step, in order: the creates of resources whose ids it took from
   * the run's pool, then the scenario's earlier steps. Empty for a first step with no such id.
   */
  readonly before: ReadonlyArray<Exchange>
}

const noExchanges: ReadonlyArray<Exchange> = []

/** Why a scenario stopped before its last step. */
export interface ScenarioInterruption {
  readonly scenarioId: string
  readonly stepId: string
  readonly reason: string
}

const judge = (
  context: StepContext,
  scenario: Scenario,
  step: Step,
  operation: Operation,
  exchange: Exchange,
  lastDeleteStatus: number | undefined
) => {
  const body = parseResponseBody(exchange)
  const input = {
    spec: context.spec,
    operation,
    scenario,
    step,
    exchange,
    ...(body === undefined ? {} : { body }),
    options: context.maxResponseTimeMs === undefined ? {} : { maxResponseTimeMs: context.maxResponseTimeMs },
    ...(lastDeleteStatus === undefined ? {} : { lastDeleteStatus })
  }
  const outcomes = context.checks.map((check) => [check.name, check.judge(input)] as const)
  return { body, outcomes }
}

const finished = Effect.succeed(undefined)

/**
 * Runs a scenario and hands each judged step to `onStep` as soon as it is done. Returns why the
 * scenario stopped early, if it did: a variable no earlier step provided, or a request that cannot
 * be encoded. Call it when the scenario is to run: its first request is encoded at once.
 */
export const runScenario = (
  context: StepContext,
  scenario: Scenario,
  onStep: (outcome: StepOutcome) => void
): Effect.Effect<ScenarioInterruption | undefined> => {
  const { executor } = context
  const stopped = (step: Step, reason: string): ScenarioInterruption => ({
    scenarioId: scenario.id,
    stepId: step.id,
    reason
  })
  // One step after another through plain `flatMap`s: this runs for every step of a run, and a
  // generator per scenario cost more than the bookkeeping it saves.
  const runFrom = (
    index: number,
    variables: Record<string, unknown>,
    lastDeleteStatus: number | undefined,
    before: ReadonlyArray<Exchange>
  ): Effect.Effect<ScenarioInterruption | undefined> => {
    const step = scenario.steps[index]
    if (step === undefined) return finished
    const operation = context.operations.get(step.operationId)
    if (operation === undefined)
      return Effect.succeed(stopped(step, `operation ${step.operationId} is not planned`))
    const missing = missingVariables(step.bind, variables)
    if (missing.length > 0) {
      // The step before usually failed, and its status explains why nothing could be extracted from it.
      const previous = before.at(-1)
      const status = previous?.response?.status
      const failure = previous?.failure?.kind
      let cause = ""
      if (status !== undefined) cause = ` (the step before got ${status})`
      else if (failure !== undefined) cause = ` (the step before got no response: ${failure} failure)`
      return Effect.succeed(stopped(step, `no earlier step provided ${missing.join(", ")}${cause}`))
    }
    const bound = applyBindings(step.request, step.bind, variables)
    const request =
      context.ids === undefined ? bound : context.ids.fill(operation, scenario, step, bound, used)
    const encoded = encodeRequest(operation, request, encodeOptions)
    if (encoded._tag === "Left") return Effect.succeed(stopped(step, encoded.left.message))
    return Effect.flatMap(executor.execute(encoded.right, context.execute), (exchange) => {
      const { body, outcomes } = judge(context, scenario, step, operation, exchange, lastDeleteStatus)
      context.ids?.learn(operation, request, exchange, body, used)
      const deleteStatus = operation.method === "delete" ? exchange.response?.status : lastDeleteStatus
      // The creates of resources taken from the pool come first, so the record replays in order.
      const pooled = used.size === 0 ? noExchanges : IdPool.createsOf(used)
      const evidence =
        pooled.length === 0 ? before : [...pooled.filter((create) => !before.includes(create)), ...before]
      onStep({ scenario, step, operation, exchange, outcomes, before: evidence })
      if (index + 1 === scenario.steps.length) return finished
      return runFrom(
        index + 1,
        { ...variables, ...extractVariables(step.extract, exchange, body) },
        deleteStatus,
        [...before, exchange]
      )
    })
  }
  const encodeOptions = { ...context.encode, spec: context.spec }
  const used: ScenarioResources = new Map()
  const run = runFrom(0, {}, undefined, noExchanges)
  // Spans only for a tracer of the caller's: Effect's built-in one keeps them nowhere (see hotSpan.ts).
  return context.traced
    ? Effect.withSpan(run, "Pipeline.runScenario", {
        attributes: { scenarioId: scenario.id },
        captureStackTrace: false
      })
    : run
}
