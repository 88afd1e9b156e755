/**
 * A small seeded pseudo-random generator, so that the same run seed gives the same scenarios on every
 * machine. It is a 32-bit generator of the mulberry family: fast and well spread, not cryptographic.
 */

/** A source of pseudo-random numbers; every method advances the same internal state. */
export interface Random {
  /** A float in [0, 1). */
  readonly next: () => number
  /** An integer in [min, max], both included; `min` when `max < min`. */
  readonly int: (min: number, max: number) => number
  /** True with probability `p`. */
  readonly chance: (p: number) => boolean
  /** One element of a non-empty array. */
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  /** An independent generator whose seed is derived from this one's seed and `label`. */
  readonly fork: (label: string) => Random
}

/** Hashes a string to an unsigned 32-bit integer (FNV-1a over UTF-16 code units). */
export const hashString = (text: string, start = 0x811c9dc5): number => {
  let hash = start >>> 0
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash >>> 0
}

/** Derives the seed of one operation (or any other label) from the run seed. */
export const deriveSeed = (seed: number, label: string): number =>
  hashString(label, hashString(String(seed >>> 0) + ":" + String(Math.floor(seed / 2 ** 32))))

/** Creates a generator from a 32-bit seed; equal seeds give equal sequences. */
export const makeRandom = (seed: number): Random => {
  const initial = seed >>> 0
  let state = initial
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = state
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => {
    if (max <= min) return min
    return min + Math.floor(next() * (max - min + 1))
  }
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <A>(items: ReadonlyArray<A>): A => items[int(0, items.length - 1)] as A,
    fork: (label) => makeRandom(hashString(label, initial))
  }
}
