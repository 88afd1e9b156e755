/**
 * The Promise API, for callers who do not use Effect.
 */
import { Cause, Effect, Exit } from "effect"
import { layerDefaults } from "./pipeline/layers.js"
import type { RunConfig } from "./pipeline/RunConfig.js"
import { runTests } from "./pipeline/runTests.js"
import { makeMemory as makeScenarioCache, ScenarioCache } from "./ports/ScenarioCache.js"
import type { RunReport } from "./run/Run.js"

/** Options of `run`: a run configuration; its `signal` cancels the run, which then resolves with status `cancelled`. */
export type RunOptions = RunConfig

// Shared by every `run` call of the process, so running an unchanged spec again makes no model call.
const scenarioCache = makeScenarioCache()

/**
 * Runs the tests of a spec against a target with the in-memory defaults and resolves with the report.
 * Rejects with a `RunError` when the run cannot start; a spec that cannot be loaded gives the reason
 * `SpecLoad`, with the `SpecLoadError` as its `cause`.
 */
export const run = async (options: RunOptions): Promise<RunReport> => {
  const program = runTests(options).pipe(
    Effect.provideService(ScenarioCache, scenarioCache),
    Effect.provide(layerDefaults(options))
  )
  const exit = await Effect.runPromiseExit(program)
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}
