/**
 * Measures how long QAWave's own event loop was blocked, so that a response which arrived while the
 * process was busy (compiling a validator, generating scenarios) is not blamed on the API.
 *
 * A timer fires every `intervalMs`; its lateness is how long the loop was blocked just before it. The
 * samples of the last few seconds are kept, and `maxBlockedBetween` returns the longest block that
 * ended inside a window: the longest any response in that window may have waited to be read.
 */
const intervalMs = 10
// Enough samples for the longest request deadline worth correcting (about 60 s at 10 ms).
const capacity = 6_000

export interface LoopDelaySampler {
  /** The longest block, in milliseconds, that ended between two `performance.now()` readings. */
  readonly maxBlockedBetween: (startMs: number, endMs: number) => number
  readonly stop: () => void
}

/** Starts sampling; the timer is unref'd, so it never keeps the process alive. */
export const startLoopDelaySampler = (): LoopDelaySampler => {
  const times = new Float64Array(capacity)
  const delays = new Float64Array(capacity)
  let next = 0
  let count = 0
  let expected = performance.now() + intervalMs
  const timer = setInterval(() => {
    const now = performance.now()
    times[next] = now
    delays[next] = Math.max(0, now - expected)
    next = (next + 1) % capacity
    count = Math.min(count + 1, capacity)
    expected = now + intervalMs
  }, intervalMs)
  timer.unref()

  const maxBlockedBetween = (startMs: number, endMs: number): number => {
    let max = 0
    // The tick that reports a block runs after it ends, possibly just after the response was read.
    const until = endMs + intervalMs
    for (let i = 1; i <= count; i++) {
      const index = (next - i + capacity) % capacity
      const time = times[index]!
      if (time < startMs) break
      if (time <= until) max = Math.max(max, delays[index]!)
    }
    return max
  }

  return { maxBlockedBetween, stop: () => clearInterval(timer) }
}
