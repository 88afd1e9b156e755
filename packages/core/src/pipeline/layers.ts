/**
 * The in-memory defaults: every port a run needs, in one process, with no external service.
 */
import { Layer } from "effect"
import { Executor } from "../execute/Executor.js"
import { EventBus } from "../ports/EventBus.js"
import { perSecond, RateLimiter } from "../ports/RateLimiter.js"
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
  const rate = config.rateLimitPerSecond
  const executor = Executor.layer({
    connections: config.concurrency ?? defaults.concurrency,
    requestTimeoutMs: config.requestTimeoutMs ?? defaults.requestTimeoutMs,
    ...(rate === undefined ? {} : { rateLimit: perSecond(rate) })
  })
  return Layer.mergeAll(
    EventBus.layerMemory(),
    RunStore.layerMemory({ maxEventsPerRun: 1_000 }),
    SpecCache.layerMemory({ capacity: 16, ttl: "1 hour" }),
    ScenarioCache.layerMemory(),
    executor.pipe(Layer.provideMerge(RateLimiter.layerMemory))
  )
}
