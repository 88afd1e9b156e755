/**
 * The `RateLimiter` port: token buckets by key, such as requests per second to one target. A caller
 * over the limit waits for its permit; it never gets an error.
 */
import { Context, Effect, Layer } from "effect"

/** A rate: `permits` per `perMs` milliseconds; also the bucket's capacity, so bursts reach `permits`. */
export interface RateLimit {
  readonly permits: number
  readonly perMs: number
}

/**
 * Builds the rate limit of `rate` requests per second. A rate below 1/s becomes one permit per
 * 1/rate seconds, so the bucket never holds a fraction.
 */
export const perSecond = (rate: number): RateLimit => {
  const permits = Math.max(1, rate)
  return { permits, perMs: (1_000 * permits) / rate }
}

interface Bucket {
  /** Permits available; negative when callers have reserved permits they are still waiting for. */
  tokens: number
  updatedAt: number
}

const refill = (bucket: Bucket, limit: RateLimit, now: number): void => {
  const rate = limit.permits / limit.perMs
  bucket.tokens = Math.min(limit.permits, bucket.tokens + Math.max(0, now - bucket.updatedAt) * rate)
  bucket.updatedAt = Math.max(bucket.updatedAt, now)
}

const checkLimit = (key: string, limit: RateLimit, cost: number): Effect.Effect<void> =>
  limit.permits > 0 &&
  limit.perMs > 0 &&
  Number.isFinite(limit.permits) &&
  Number.isFinite(limit.perMs) &&
  cost >= 0
    ? Effect.void
    : Effect.dieMessage(
        `Invalid rate limit for key "${key}": permits (${limit.permits}) and perMs (${limit.perMs}) must be positive and finite, cost (${cost}) not negative.`
      )

/**
 * Builds an in-process rate limiter. Time comes from `Clock`, so `TestClock` drives it in tests.
 * Each call reserves its permits at once and sleeps until they are due, so waiting callers are served
 * in the order they called. An interrupted caller gives its reservation back.
 */
export const makeMemory: Effect.Effect<RateLimiter["Type"]> = Effect.sync(() => {
  // NOTE: buckets are kept for the life of the layer; keys are expected to be few (one per target).
  const buckets = new Map<string, Bucket>()

  const reserve = (key: string, limit: RateLimit, cost: number) =>
    Effect.clockWith((clock) =>
      Effect.sync(() => {
        const now = clock.unsafeCurrentTimeMillis()
        const bucket = buckets.get(key) ?? { tokens: limit.permits, updatedAt: now }
        buckets.set(key, bucket)
        refill(bucket, limit, now)
        bucket.tokens -= cost
        return bucket.tokens >= 0 ? 0 : Math.ceil(-bucket.tokens / (limit.permits / limit.perMs))
      })
    )

  const giveBack = (key: string, cost: number) =>
    Effect.sync(() => {
      const bucket = buckets.get(key)
      if (bucket !== undefined) bucket.tokens += cost
    })

  const take = (key: string, limit: RateLimit, cost = 1): Effect.Effect<void> =>
    Effect.gen(function* () {
      yield* checkLimit(key, limit, cost)
      const waitMs = yield* reserve(key, limit, cost)
      if (waitMs === 0) return
      yield* Effect.sleep(waitMs).pipe(Effect.onInterrupt(() => giveBack(key, cost)))
    })

  return RateLimiter.of({ take })
})

/** Token buckets by key. `take` waits until `cost` permits are available under `limit`. */
export class RateLimiter extends Context.Tag("@qawave/core/RateLimiter")<
  RateLimiter,
  {
    /** Waits for `cost` permits (default 1) from the bucket `key` under `limit`. Dies on an invalid limit, never fails. */
    readonly take: (key: string, limit: RateLimit, cost?: number) => Effect.Effect<void>
  }
>() {
  /** In-process token buckets; limits hold for this process only, not across replicas. */
  static readonly layerMemory: Layer.Layer<RateLimiter> = Layer.effect(
    RateLimiter,
    Effect.suspend(() => makeMemory)
  )
}
