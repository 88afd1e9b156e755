import { Context, Duration, type Effect, Layer, type Option } from "effect"
import { makeLruCache } from "../internal/lruCache.js"
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
}): SpecCacheService =>
  makeLruCache<ApiSpec>(options.capacity, Duration.toMillis(Duration.decode(options.ttl)))
