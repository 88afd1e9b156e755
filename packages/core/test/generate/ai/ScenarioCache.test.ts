import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { ScenarioCache } from "../../../src/ports/ScenarioCache.js"
import type { Scenario } from "../../../src/scenario/Scenario.js"

const scenario = (id: string): Scenario => ({
  id,
  operationIds: ["listPets"],
  provenance: { generator: "ai", rule: "ai.valid", intent: "valid" },
  steps: []
})

describe("ScenarioCache.layerMemory", () => {
  it.effect("returns what was stored", () =>
    Effect.gen(function* () {
      const cache = yield* ScenarioCache
      expect(Option.isNone(yield* cache.get("a"))).toBe(true)
      yield* cache.set("a", [scenario("one")])
      expect(yield* cache.get("a")).toEqual(Option.some([scenario("one")]))
    }).pipe(Effect.provide(ScenarioCache.layerMemory()))
  )

  it.effect("expires entries after the TTL", () =>
    Effect.gen(function* () {
      const cache = yield* ScenarioCache
      yield* cache.set("a", [scenario("one")])
      yield* TestClock.adjust(999)
      expect(Option.isSome(yield* cache.get("a"))).toBe(true)
      yield* TestClock.adjust(1)
      expect(Option.isNone(yield* cache.get("a"))).toBe(true)
    }).pipe(Effect.provide(ScenarioCache.layerMemory({ ttlMs: 1_000 })))
  )

  it.effect("evicts the least recently used entry", () =>
    Effect.gen(function* () {
      const cache = yield* ScenarioCache
      yield* cache.set("a", [scenario("a")])
      yield* cache.set("b", [scenario("b")])
      yield* cache.get("a")
      yield* cache.set("c", [scenario("c")])
      expect(Option.isSome(yield* cache.get("a"))).toBe(true)
      expect(Option.isNone(yield* cache.get("b"))).toBe(true)
      expect(Option.isSome(yield* cache.get("c"))).toBe(true)
    }).pipe(Effect.provide(ScenarioCache.layerMemory({ capacity: 2 })))
  )
})
