import { describe, expect, it } from "@effect/vitest"
import { deriveSeed, hashString, makeRandom } from "../../src/generate/schema/random.js"

const draw = (seed: number, count: number): Array<number> => {
  const random = makeRandom(seed)
  return Array.from({ length: count }, () => random.next())
}

describe("makeRandom", () => {
  it("repeats a sequence for a seed", () => {
    expect(draw(42, 100)).toEqual(draw(42, 100))
  })

  it("differs between seeds", () => {
    expect(draw(42, 10)).not.toEqual(draw(43, 10))
  })

  it("stays in [0, 1) and spreads", () => {
    const values = draw(7, 10_000)
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true)
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length
    expect(mean).toBeGreaterThan(0.48)
    expect(mean).toBeLessThan(0.52)
  })

  it("int covers both ends of its range", () => {
    const random = makeRandom(3)
    const seen = new Set(Array.from({ length: 500 }, () => random.int(1, 6)))
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6])
  })

  it("forks independently of later draws", () => {
    const first = makeRandom(5)
    const second = makeRandom(5)
    second.next()
    expect(first.fork("body").next()).toBe(second.fork("body").next())
    expect(first.fork("body").next()).not.toBe(first.fork("query").next())
  })
})

describe("seeds", () => {
  it("hashString is FNV-1a", () => {
    expect(hashString("")).toBe(0x811c9dc5)
    expect(hashString("a")).toBe(0xe40c292c)
  })

  it("deriveSeed depends on run seed and label", () => {
    expect(deriveSeed(1, "getPet")).toBe(deriveSeed(1, "getPet"))
    expect(deriveSeed(1, "getPet")).not.toBe(deriveSeed(2, "getPet"))
    expect(deriveSeed(1, "getPet")).not.toBe(deriveSeed(1, "listPets"))
    expect(deriveSeed(2 ** 40 + 1, "getPet")).not.toBe(deriveSeed(1, "getPet"))
  })
})
