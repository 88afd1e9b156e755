import { describe, expect, it } from "@effect/vitest"
import { makeRandom } from "../../src/generate/schema/random.js"
import { toStandalone } from "../../src/generate/schema/resolve.js"
import { generateValid, generateValue } from "../../src/generate/schema/values.js"
import { validate } from "../../src/schema/Validator.js"
import type { JsonSchema } from "../../src/spec/model.js"
import { makeSpec, petDefinitions } from "./fixtures.js"

const options = { preferExamples: false, optional: "all" } as const

/** Generates `count` values with different seeds and returns them, failing on any invalid one. */
const sample = (
  schema: JsonSchema,
  definitions: Record<string, JsonSchema> = {},
  count = 20
): Array<unknown> => {
  const spec = makeSpec([], definitions)
  const standalone = toStandalone(spec, schema)
  const values: Array<unknown> = []
  for (let seed = 1; seed <= count; seed++) {
    const generated = generateValid(spec, schema, makeRandom(seed), options)
    if (!generated.ok) throw new Error(`seed ${seed}: ${generated.reason}`)
    expect(validate(standalone, generated.value)).toEqual([])
    values.push(generated.value)
  }
  return values
}

describe("generateValid", () => {
  const formats = ["date", "date-time", "time", "email", "uuid", "uri", "hostname", "ipv4", "ipv6", "byte"]
  for (const format of formats) {
    it(`format ${format} validates`, () => {
      const values = sample({ type: "string", format })
      expect(new Set(values).size).toBeGreaterThan(1)
    })
  }

  it("format binary gives a byte string", () => {
    for (const value of sample({ type: "string", format: "binary" })) {
      expect(typeof value).toBe("string")
      expect([...(value as string)].every((char) => char.charCodeAt(0) < 256)).toBe(true)
    }
  })

  it("int32 and int64 stay in range", () => {
    for (const value of sample({ type: "integer", format: "int32", minimum: 2147483000 })) {
      expect(value).toBeLessThanOrEqual(2 ** 31 - 1)
    }
    for (const value of sample({ type: "integer", format: "int64" }))
      expect(Number.isSafeInteger(value)).toBe(true)
  })

  it("float and double validate", () => {
    sample({ type: "number", format: "float", minimum: -1, maximum: 1 })
    sample({ type: "number", format: "double" })
  })

  it("pattern is matched", () => {
    for (const value of sample({ type: "string", pattern: "^[A-Z]{3}-[0-9]{2,4}$" })) {
      expect(value).toMatch(/^[A-Z]{3}-[0-9]{2,4}$/)
    }
  })

  it("pattern with lengths is matched", () => {
    sample({ type: "string", pattern: "^[a-z]+$", minLength: 5, maxLength: 7 })
  })

  it("ranges, exclusive bounds and multipleOf hold", () => {
    sample({ type: "integer", exclusiveMinimum: 5, exclusiveMaximum: 8 })
    sample({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 0.5 })
    sample({ type: "integer", multipleOf: 7, minimum: 10, maximum: 60 })
    sample({ type: "number", multipleOf: 0.25, minimum: 1, maximum: 2 })
  })

  it("enum, const and type arrays", () => {
    expect(new Set(sample({ enum: ["a", "b", 3] })).size).toBeGreaterThan(1)
    expect(sample({ const: { fixed: true } })[0]).toEqual({ fixed: true })
    const types = new Set(sample({ type: ["integer", "boolean", "null"] }).map((value) => typeof value))
    expect(types.has("number")).toBe(true)
    expect(types.has("boolean")).toBe(true)
  })

  it("arrays respect minItems, maxItems and uniqueItems", () => {
    for (const value of sample({
      type: "array",
      items: { type: "integer", minimum: 0, maximum: 3 },
      minItems: 3,
      maxItems: 4,
      uniqueItems: true
    })) {
      expect((value as Array<unknown>).length).toBeGreaterThanOrEqual(3)
    }
  })

  it("objects with refs, allOf and additionalProperties", () => {
    const schema = {
      allOf: [
        { $ref: "#/$defs/Owner" },
        { type: "object", required: ["nickname"], properties: { nickname: { type: "string" } } }
      ]
    }
    for (const value of sample(schema, petDefinitions)) expect(value).toHaveProperty("nickname")
    sample({ type: "object", minProperties: 2, additionalProperties: { type: "integer" } })
    sample({ $ref: "#/$defs/Pet" }, petDefinitions)
  })

  it("oneOf picks exactly one branch", () => {
    const schema = {
      oneOf: [
        { type: "string", maxLength: 3 },
        { type: "integer" },
        { type: "array", items: { type: "boolean" } }
      ]
    }
    const kinds = new Set(
      sample(schema, {}, 30).map((value) => (Array.isArray(value) ? "array" : typeof value))
    )
    expect(kinds.size).toBeGreaterThan(1)
  })

  it("discriminator sets the mapping value", () => {
    const definitions: Record<string, JsonSchema> = {
      Cat: {
        type: "object",
        required: ["petType"],
        properties: { petType: { type: "string" }, lives: { type: "integer" } }
      },
      Dog: {
        type: "object",
        required: ["petType"],
        properties: { petType: { type: "string" }, bark: { type: "boolean" } }
      }
    }
    const schema = {
      oneOf: [{ $ref: "#/$defs/Cat" }, { $ref: "#/$defs/Dog" }],
      discriminator: {
        propertyName: "petType",
        mapping: { cat: "#/components/schemas/Cat", hound: "#/$defs/Dog" }
      }
    }
    const tags = new Set(
      sample({ anyOf: schema.oneOf, discriminator: schema.discriminator }, definitions).map(
        (value) => (value as { petType: string }).petType
      )
    )
    expect(tags).toEqual(new Set(["cat", "hound"]))
  })

  it("recursive schema terminates", () => {
    const definitions: Record<string, JsonSchema> = {
      Node: {
        type: "object",
        required: ["name"],
        properties: {
          name: { type: "string" },
          children: { type: "array", items: { $ref: "#/$defs/Node" } },
          parent: { $ref: "#/$defs/Node" }
        }
      }
    }
    const depth = (value: unknown): number =>
      typeof value !== "object" || value === null ? 0 : 1 + Math.max(0, ...Object.values(value).map(depth))
    for (const value of sample({ $ref: "#/$defs/Node" }, definitions)) expect(depth(value)).toBeLessThan(12)
  })

  it("unsatisfiable schemas fail with a reason", () => {
    const spec = makeSpec([], {
      Loop: { type: "object", required: ["next"], properties: { next: { $ref: "#/$defs/Loop" } } }
    })
    const cases: Array<[JsonSchema, RegExp]> = [
      [{ type: "integer", minimum: 10, maximum: 5 }, /no integer/],
      [{ type: "string", minLength: 5, maxLength: 2 }, /minLength 5/],
      [{ allOf: [{ type: "string" }, { type: "integer" }] }, /no type/],
      [false, /allows no value/],
      [{ $ref: "#/$defs/Missing" }, /allows no value/],
      [{ $ref: "#/$defs/Loop" }, /deeper than/],
      [{ type: "string", not: { type: "string" } }, /fail validation/]
    ]
    for (const [schema, reason] of cases) {
      const generated = generateValid(spec, schema, makeRandom(1), options)
      expect(generated.ok, JSON.stringify(schema)).toBe(false)
      if (!generated.ok) expect(generated.reason).toMatch(reason)
    }
  })

  it("pattern falls back on examples", () => {
    const spec = makeSpec([])
    const schema = { type: "string", pattern: "^(?=abc)[a-z]+$", examples: ["abcdef"] }
    const generated = generateValid(spec, schema, makeRandom(1), options)
    expect(generated).toEqual({ ok: true, value: "abcdef" })
  })

  it("pattern without fallback fails", () => {
    const spec = makeSpec([])
    const generated = generateValid(
      spec,
      { type: "string", pattern: "^(?=abc)[a-z]+$" },
      makeRandom(1),
      options
    )
    expect(generated.ok).toBe(false)
  })

  it("prefers schema examples when asked", () => {
    const spec = makeSpec([])
    const generated = generateValue(spec.definitions, { type: "string", examples: ["Rex"] }, makeRandom(1), {
      preferExamples: true,
      optional: "all"
    })
    expect(generated).toEqual({ ok: true, value: "Rex" })
  })
})
