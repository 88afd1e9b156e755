/**
 * The `ScenarioCache` port: generated scenarios by a key built from an operation's fingerprint and the
 * generator settings, so an unchanged operation costs no second model call.
 */
import { Context, type Effect, Layer, type Option } from "effect"
import { makeLruCache } from "../internal/lruCache.js"
import type { Scenario } from "../scenario/Scenario.js"

/** The service behind the `ScenarioCache` tag. */
export interface ScenarioCacheService {
  /** The scenarios stored under `key`, unless they are missing or expired. */
  readonly get: (key: string) => Effect.Effect<Option.Option<ReadonlyArray<Scenario>>>
  /** Stores scenarios under `key`, replacing any earlier entry. */
  readonly set: (key: string, scenarios: ReadonlyArray<Scenario>) => Effect.Effect<void>
}

/** Options of the in-memory cache. */
export interface ScenarioCacheMemoryOptions {
  /** Maximum number of entries; the least recently used entry goes first. 1000 when absent. */
  readonly capacity?: number
  /** Lifetime of an entry in milliseconds, counted from when it was stored. 24 hours when absent. */
  readonly ttlMs?: number
}

const defaultCapacity = 1_000
const defaultTtlMs = 24 * 60 * 60 * 1_000

/** Generated scenarios by operation fingerprint and generator settings. */
export class ScenarioCache extends Context.Tag("@qawave/core/ScenarioCache")<
  ScenarioCache,
  ScenarioCacheService
>() {
  /** An in-process LRU with a TTL per entry; time comes from `Clock`, so `TestClock` drives expiry. */
  static layerMemory(options: ScenarioCacheMemoryOptions = {}): Layer.Layer<ScenarioCache> {
    return Layer.sync(ScenarioCache, () => makeMemory(options))
  }
}

/** Builds the in-memory LRU with TTL behind `ScenarioCache.layerMemory`. */
export const makeMemory = (options: ScenarioCacheMemoryOptions = {}): ScenarioCacheService =>
  ScenarioCache.of(
    makeLruCache<ReadonlyArray<Scenario>>(options.capacity ?? defaultCapacity, options.ttlMs ?? defaultTtlMs)
  )
