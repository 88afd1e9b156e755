/**
 * The in-memory RateLimiter, driven by TestClock.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Ref, TestClock } from "effect"
import { RateLimiter } from "../../src/ports/RateLimiter.js"

const limit = { permits: 2, perMs: 1_000 }

describe("RateLimiter.layerMemory", () => {
  it.effect("burst then spaced permits", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter
      const done = yield* Ref.make<Array<number>>([])
      const fibers = yield* Effect.forEach([1, 2, 3, 4, 5], (index) =>
        Effect.fork(
          limiter.take("target", limit).pipe(Effect.zipRight(Ref.update(done, (list) => [...list, index])))
        )
      )
      yield* TestClock.adjust(0)

      expect(yield* Ref.get(done)).toEqual([1, 2])
      yield* TestClock.adjust(499)
      expect(yield* Ref.get(done)).toEqual([1, 2])
      yield* TestClock.adjust(1)
      expect(yield* Ref.get(done)).toEqual([1, 2, 3])
      yield* TestClock.adjust(500)
      expect(yield* Ref.get(done)).toEqual([1, 2, 3, 4])
      yield* TestClock.adjust(500)
      expect(yield* Ref.get(done)).toEqual([1, 2, 3, 4, 5])
      yield* Fiber.joinAll(fibers)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("keys have separate buckets", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter
      yield* limiter.take("a", { permits: 1, perMs: 1_000 })
      const other = yield* Effect.fork(limiter.take("b", { permits: 1, perMs: 1_000 }))
      yield* TestClock.adjust(0)

      expect(other.unsafePoll()).not.toBeNull()
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("bucket refills while idle", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter
      yield* limiter.take("a", limit, 2)
      yield* TestClock.adjust(1_000)
      const fiber = yield* Effect.fork(limiter.take("a", limit, 2))
      yield* TestClock.adjust(0)

      expect(fiber.unsafePoll()).not.toBeNull()
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("cost above one waits longer", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter
      yield* limiter.take("a", limit, 2)
      const fiber = yield* Effect.fork(limiter.take("a", limit, 2))
      yield* TestClock.adjust(999)

      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust(1)
      expect(fiber.unsafePoll()).not.toBeNull()
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("interrupted waiter returns its permit", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter
      yield* limiter.take("a", { permits: 1, perMs: 1_000 })
      const waiting = yield* Effect.fork(limiter.take("a", { permits: 1, perMs: 1_000 }))
      yield* TestClock.adjust(0)
      yield* Fiber.interrupt(waiting)
      yield* TestClock.adjust(1_000)
      const next = yield* Effect.fork(limiter.take("a", { permits: 1, perMs: 1_000 }))
      yield* TestClock.adjust(0)

      expect(next.unsafePoll()).not.toBeNull()
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("invalid limit is a defect", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter
      const exit = yield* Effect.exit(limiter.take("a", { permits: 0, perMs: 1_000 }))

      expect(exit._tag).toBe("Failure")
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})
