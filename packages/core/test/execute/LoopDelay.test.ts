import { setTimeout as sleep } from "node:timers/promises"
import { describe, expect, it } from "vitest"
import { startLoopDelaySampler } from "../../src/execute/LoopDelay.js"

const blockFor = (ms: number) => {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // Busy-wait on purpose: this is the stall the sampler must see.
  }
}

describe("startLoopDelaySampler", () => {
  it("reports a block inside the window", async () => {
    const sampler = startLoopDelaySampler()
    try {
      await sleep(30)
      const start = performance.now()
      blockFor(200)
      await sleep(30)
      const blocked = sampler.maxBlockedBetween(start, performance.now())
      expect(blocked).toBeGreaterThanOrEqual(150)
      expect(blocked).toBeLessThan(1_000)
    } finally {
      sampler.stop()
    }
  })

  it("ignores a block before the window", async () => {
    const sampler = startLoopDelaySampler()
    try {
      await sleep(30)
      blockFor(200)
      await sleep(50)
      const start = performance.now()
      await sleep(50)
      expect(sampler.maxBlockedBetween(start, performance.now())).toBeLessThan(150)
    } finally {
      sampler.stop()
    }
  })
})
