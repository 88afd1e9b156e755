/**
 * An in-process LRU cache whose entries also expire after a fixed time, read from `Clock` so that
 * `TestClock` drives expiry in tests. The memory layers of the cache ports share it.
 */
import { Clock, Effect, Option } from "effect"

export interface LruCache<A> {
  /** The value under `key`, unless it is missing or expired; a hit makes the entry the most recent. */
  readonly get: (key: string) => Effect.Effect<Option.Option<A>>
  /** Stores a value, replacing any earlier one, and drops the least recent entries beyond the capacity. */
  readonly set: (key: string, value: A) => Effect.Effect<void>
}

/** Builds a cache of at most `capacity` entries (at least 1), each kept for `ttlMs` milliseconds. */
export const makeLruCache = <A>(capacity: number, ttlMs: number): LruCache<A> => {
  const limit = Math.max(1, Math.floor(capacity))
  // A Map iterates in insertion order, so re-inserting on each hit keeps the least recent entry first.
  const entries = new Map<string, { readonly value: A; readonly expiresAt: number }>()
  return {
    get: (key) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const entry = entries.get(key)
        if (entry === undefined) return Option.none()
        entries.delete(key)
        if (entry.expiresAt <= now) return Option.none()
        entries.set(key, entry)
        return Option.some(entry.value)
      }),
    set: (key, value) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        entries.delete(key)
        entries.set(key, { value, expiresAt: now + ttlMs })
        while (entries.size > limit) {
          const oldest = entries.keys().next()
          if (oldest.done === true) break
          entries.delete(oldest.value)
        }
      })
  }
}
