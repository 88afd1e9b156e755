/**
 * The in-memory defaults: every port a run needs, in one process, with no external service.
 */
import { Layer } from "effect"
import { Executor } from "../execute/Executor.js"
import { EventBus } from "../ports/EventBus.js"
import { RateLimiter } from "../ports/RateLimiter.js"
import { RunStore } from "../ports/RunStore.js"
import { ScenarioCache } from "../ports/ScenarioCache.js"
import { SpecCache } from "../ports/SpecCache.js"
import { defaults, type RunConfig } from "./RunConfig.js"

/** Settings of the default layers that come from a run's configuration. */
export type DefaultsConfig = Pick<RunConfig, "concurrency" | "requestTimeoutMs" | "rateLimitPerSecond">

/**
 * In-memory event bus, run store, spec and scenario caches and rate limiter, and an undici executor.
 * The run store keeps the last 1,000 events of a run for a subscriber that reconnects. A longer
 * history of a long run would only take memory, because nothing in one process reads it.
 */
export const layerDefaults = (config: DefaultsConfig = {}) => {
  const perSecond = config.rateLimitPerSecond
  // A rate below 1/s becomes one permit per 1/rate seconds, so the bucket never holds a fraction.
  const permits = perSecond === undefined ? 0 : Math.max(1, perSecond)
  const executor = Executor.layer({
    connections: config.concurrency ?? defaults.concurrency,
    requestTimeoutMs: config.requestTimeoutMs ?? defaults.requestTimeoutMs,
    ...(perSecond === undefined ? {} : { rateLimit: { permits, perMs: (1_000 * permits) / perSecond } })
  })
  return Layer.mergeAll(
    EventBus.layerMemory(),
    RunStore.layerMemory({ maxEventsPerRun: 1_000 }),
    SpecCache.layerMemory({ capacity: 16, ttl: "1 hour" }),
    ScenarioCache.layerMemory(),
    executor.pipe(Layer.provideMerge(RateLimiter.layerMemory))
  )
}
