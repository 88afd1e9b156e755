import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { RunStore } from "../../src/ports/RunStore.js"
import type { RunEvent } from "../../src/run/RunEvent.js"

const event = (sequence: number): RunEvent => ({
  _tag: "OperationsPlanned",
  runId: "r1",
  sequence,
  at: new Date(0).toISOString(),
  operations: 1,
  skipped: []
})

describe("RunStore.layerMemory", () => {
  it.effect("keeps the latest events", () =>
    Effect.gen(function* () {
      const store = yield* RunStore
      for (let sequence = 1; sequence <= 40; sequence++) yield* store.appendEvent(event(sequence))
      const kept = yield* store.readEvents("r1", 0)

      expect(kept.length).toBeGreaterThanOrEqual(10)
      expect(kept.length).toBeLessThanOrEqual(15)
      expect(kept.at(-1)?.sequence).toBe(40)
      expect(kept.map((item) => item.sequence)).toEqual(
        Array.from({ length: kept.length }, (_, index) => 41 - kept.length + index)
      )
    }).pipe(Effect.provide(RunStore.layerMemory({ maxEventsPerRun: 10 })))
  )

  it.effect("reads after a sequence", () =>
    Effect.gen(function* () {
      const store = yield* RunStore
      for (let sequence = 1; sequence <= 5; sequence++) yield* store.appendEvent(event(sequence))
      const after = yield* store.readEvents("r1", 3)

      expect(after.map((item) => item.sequence)).toEqual([4, 5])
    }).pipe(Effect.provide(RunStore.layerMemory()))
  )
})
