import { Clock, Context, Duration, Effect, Layer, Option } from "effect"
import type { ApiSpec } from "../spec/model.js"

/** Cached specs by key: `content:<sha256>…` for a document's bytes, `url:<url>…` for where it came from. */
export interface SpecCacheService {
  /** The spec stored under `key`, unless it is missing or expired. */
  readonly get: (key: string) => Effect.Effect<Option.Option<ApiSpec>>
  /** Stores a spec under `key`, replacing any earlier one. */
  readonly set: (key: string, spec: ApiSpec) => Effect.Effect<void>
}

/** Parsed and normalized specs, so that loading the same document twice costs one normalization. */
export class SpecCache extends Context.Tag("@qawave/core/SpecCache")<SpecCache, SpecCacheService>() {
  /** An in-process LRU of at most `capacity` entries, each kept for `ttl` (time read from `Clock`). */
  static layerMemory(options: {
    readonly capacity: number
    readonly ttl: Duration.DurationInput
  }): Layer.Layer<SpecCache> {
    return Layer.sync(SpecCache, () => makeMemory(options))
  }
}

/** Builds the in-memory LRU with TTL behind `SpecCache.layerMemory`. */
export const makeMemory = (options: {
  readonly capacity: number
  readonly ttl: Duration.DurationInput
}): SpecCacheService => {
  const ttlMillis = Duration.toMillis(Duration.decode(options.ttl))
  const capacity = Math.max(1, Math.floor(options.capacity))
  // A Map iterates in insertion order, so re-inserting on each hit keeps the least recent entry first.
  const entries = new Map<string, { readonly spec: ApiSpec; readonly expiresAt: number }>()
  return {
    get: (key) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const entry = entries.get(key)
        if (entry === undefined) return Option.none()
        entries.delete(key)
        if (entry.expiresAt <= now) return Option.none()
        entries.set(key, entry)
        return Option.some(entry.spec)
      }),
    set: (key, spec) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        entries.delete(key)
        entries.set(key, { spec, expiresAt: now + ttlMillis })
        while (entries.size > capacity) {
          const oldest = entries.keys().next()
          if (oldest.done === true) break
          entries.delete(oldest.value)
        }
      })
  }
}
