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
  it("reports a block that ends at the read", async () => {
    const sampler = startLoopDelaySampler()
    try {
      await sleep(30)
      const start = performance.now()
      blockFor(200)
      // Read in the same loop phase, before the sampler's timer could report the block.
      const blocked = sampler.blockedBeforeRead(start, performance.now())
      expect(blocked).toBeGreaterThanOrEqual(150)
      expect(blocked).toBeLessThan(1_000)
    } finally {
      sampler.stop()
    }
  })

  it("reports a block the timer just reported", async () => {
    const sampler = startLoopDelaySampler()
    try {
      await sleep(30)
      const start = performance.now()
      blockFor(200)
      await sleep(1)
      expect(sampler.blockedBeforeRead(start, performance.now())).toBeGreaterThanOrEqual(150)
    } finally {
      sampler.stop()
    }
  })

  it("ignores a block early in the request", async () => {
    const sampler = startLoopDelaySampler()
    try {
      await sleep(30)
      const start = performance.now()
      blockFor(200)
      await sleep(100)
      expect(sampler.blockedBeforeRead(start, performance.now())).toBeLessThan(50)
    } finally {
      sampler.stop()
    }
  })

  it("ignores a block before the request", async () => {
    const sampler = startLoopDelaySampler()
    try {
      await sleep(30)
      blockFor(200)
      const start = performance.now()
      await sleep(50)
      expect(sampler.blockedBeforeRead(start, performance.now())).toBeLessThan(50)
    } finally {
      sampler.stop()
    }
  })
})
