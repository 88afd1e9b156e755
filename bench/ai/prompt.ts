/**
 * Prompt size on a large real spec: the estimated prompt tokens of every operation's generation
 * call, next to a naive prompt that contains the whole operation with every `$ref` inlined.
 */
import {
  buildPrompt,
  loadSpec,
  naivePromptTokens,
  promptTokens,
  resolveSettings,
  SpecCache
} from "@qawave/core"
import { Effect } from "effect"

/** Prompt tokens per operation of one spec, compact and naive, in the same operation order. */
export interface PromptSizes {
  readonly operations: number
  readonly compact: ReadonlyArray<number>
  readonly naive: ReadonlyArray<number>
  readonly seconds: number
}

/** Loads `file` and estimates both prompts of every operation with the generator's default settings. */
export const measurePromptSizes = (file: string, scenariosPerCall: number): Promise<PromptSizes> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const spec = yield* loadSpec(file)
      const settings = resolveSettings({ model: "qawave-local", scenariosPerCall })
      const start = performance.now()
      const compact = spec.operations.map((operation) =>
        promptTokens(buildPrompt(spec, operation, settings).messages)
      )
      const naive = spec.operations.map((operation) => naivePromptTokens(spec, operation, scenariosPerCall))
      return {
        operations: spec.operations.length,
        compact,
        naive,
        seconds: (performance.now() - start) / 1000
      }
    }).pipe(Effect.provide(SpecCache.layerMemory({ capacity: 4, ttl: "1 hour" })))
  )

/** Returns the nearest-rank percentile `p` (0–100) of `values`, or 0 for no values. */
export const percentile = (values: ReadonlyArray<number>, p: number): number => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] ?? 0
}

/** Returns the median of `values`, the mean of the two middle values for an even count, or 0 for none. */
export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** Returns the sum of `values`. */
export const sum = (values: ReadonlyArray<number>): number =>
  values.reduce((total, value) => total + value, 0)
