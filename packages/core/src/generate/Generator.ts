/**
 * The generator contract: turn one operation (or a whole spec, for multi-step flows) into scenarios.
 * Generators are deterministic for a given seed.
 */
import type { Effect } from "effect"
import type { Scenario } from "../scenario/Scenario.js"
import type { ApiSpec, Operation } from "../spec/model.js"

export interface GenerateOptions {
  /** Seed of the pseudo-random generator; the same seed gives the same scenarios. */
  readonly seed: number
  /** Upper bound on the scenarios made for one operation (flows are counted on their first operation). */
  readonly maxScenariosPerOperation: number
}

/** Why a generator made nothing, or less than it could, for an operation. */
export interface GenerationNote {
  readonly operationId: string
  readonly message: string
}

export interface GeneratedScenarios {
  readonly scenarios: ReadonlyArray<Scenario>
  readonly notes: ReadonlyArray<GenerationNote>
}

export interface ScenarioGenerator<E = never, R = never> {
  readonly name: "schema" | "ai"
  /** Scenarios that exercise one operation on its own. */
  readonly forOperation: (
    spec: ApiSpec,
    operation: Operation,
    options: GenerateOptions
  ) => Effect.Effect<GeneratedScenarios, E, R>
  /** Multi-step scenarios across operations (create → read, create → delete → read, links). */
  readonly flows: (spec: ApiSpec, options: GenerateOptions) => Effect.Effect<GeneratedScenarios, E, R>
}
