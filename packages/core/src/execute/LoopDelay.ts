/**
 * Measures how long QAWave's own event loop was blocked, so that a response which arrived while the
 * process was busy (compiling a validator, generating scenarios) is not blamed on the API.
 *
 * A timer fires every `intervalMs`; its lateness is how long the loop was blocked just before it.
 * `blockedBeforeRead` returns the block that ended just before a response was read, the only one that
 * can have delayed the read: a block earlier in the request left the loop free to read the response
 * as soon as it came.
 */
const intervalMs = 10
// Enough samples for the longest request deadline worth correcting (about 60 s at 10 ms).
const capacity = 6_000

export interface LoopDelaySampler {
  /**
   * The length, in milliseconds, of the block that ended at most `intervalMs` before `readMs` (or is
   * still unreported at `readMs`), counting only what came after `startMs`; 0 without one.
   */
  readonly blockedBeforeRead: (startMs: number, readMs: number) => number
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

  const blockedBeforeRead = (startMs: number, readMs: number): number => {
    // A block that ends in the same loop phase as the read is not reported yet: the tick is late now.
    let blocked = Math.max(0, readMs - expected)
    for (let i = 1; i <= count; i++) {
      const index = (next - i + capacity) % capacity
      const time = times[index]!
      if (time < readMs - intervalMs || time < startMs) break
      if (time <= readMs) blocked = Math.max(blocked, delays[index]!)
    }
    return Math.min(blocked, Math.max(0, readMs - startMs))
  }

  return { blockedBeforeRead, stop: () => clearInterval(timer) }
}
