import { describe, expect, it } from "@effect/vitest"
import { type CompiledSchema, compileSchema } from "../../src/ai/JsonSchemaValidator.js"

/** Returns whether `value` passes, failing the test when the schema did not compile. */
const passes = (compiled: CompiledSchema, value: unknown): boolean => {
  if (!compiled.ok) throw new Error(`schema did not compile: ${compiled.message}`)
  return compiled.validate(value).ok
}

describe("compileSchema", () => {
  it("validates and reports paths", () => {
    const compiled = compileSchema({
      type: "object",
      required: ["items"],
      properties: { items: { type: "array", items: { type: "string" } } }
    })
    if (!compiled.ok) throw new Error(compiled.message)
    expect(compiled.validate({ items: ["a"] })).toEqual({ ok: true })
    const result = compiled.validate({ items: [1] })
    expect(result.ok).toBe(false)
    expect(result.ok ? "" : result.message).toContain("/items/0")
  })

  it("checks formats", () => {
    const compiled = compileSchema({ type: "string", format: "date-time" })
    if (!compiled.ok) throw new Error(compiled.message)
    expect(compiled.validate("2025-01-02T03:04:05Z").ok).toBe(true)
    expect(compiled.validate("yesterday").ok).toBe(false)
  })

  it("equal schemas share validator", () => {
    const make = () => ({ type: "object", properties: { shared: { type: "integer" } } })
    expect(compileSchema(make())).toBe(compileSchema(make()))
  })

  it("same $id twice compiles", () => {
    const first = compileSchema({ $id: "https://example.com/a", type: "string" })
    const second = compileSchema({ $id: "https://example.com/a", type: "integer" })
    expect(passes(first, "x")).toBe(true)
    expect(passes(second, 1)).toBe(true)
    expect(passes(second, "x")).toBe(false)
  })

  it("invalid schema gives message", () => {
    const compiled = compileSchema({ type: "no-such-type" })
    expect(compiled.ok).toBe(false)
    expect(compiled.ok ? "" : compiled.message).toContain("type")
  })

  it("evicted validators keep working", () => {
    const first = compileSchema({ type: "integer", minimum: -1 })
    for (let index = 0; index < 700; index++) compileSchema({ type: "integer", minimum: index })
    expect(passes(first, -1)).toBe(true)
    expect(passes(first, -2)).toBe(false)
    const again = compileSchema({ type: "integer", minimum: -1 })
    expect(passes(again, -1)).toBe(true)
  })
})
