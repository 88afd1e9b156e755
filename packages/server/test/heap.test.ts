/**
 * The heap policy of the `qawave` process: it sets V8's heap growth unless the command line chose one.
 */
import { describe, expect, it } from "vitest"
import { applyHeapPolicy } from "../src/heap.js"

describe("applyHeapPolicy", () => {
  it("sets growth by default", () => {
    expect(applyHeapPolicy([])).toBe(true)
    expect(applyHeapPolicy(["--enable-source-maps"])).toBe(true)
  })

  it("keeps a command-line choice", () => {
    expect(applyHeapPolicy(["--heap-growing-percent=200"])).toBe(false)
  })
})
