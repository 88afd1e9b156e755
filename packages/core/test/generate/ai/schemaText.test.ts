import { describe, expect, it } from "@effect/vitest"
import { schemaNotation } from "../../../src/generate/ai/schemaText.js"
import { cutMarker } from "../../../src/generate/ai/schemaView.js"

const text = (schema: unknown): string => schemaNotation(schema).text

describe("schemaNotation", () => {
  it("writes scalar types with format and keywords", () => {
    expect(text({ type: "string", format: "date-time" })).toBe("string(date-time)")
    expect(text({ type: "integer", minimum: 1, maximum: 100 })).toBe("integer minimum=1 maximum=100")
    expect(text({ type: "string", pattern: "^[a-z]+$" })).toBe('string pattern="^[a-z]+$"')
    expect(text({ type: ["string", "null"], format: "uri" })).toBe("string(uri)|null")
  })

  it("writes enums and constants as JSON values", () => {
    expect(text({ type: "string", enum: ["a", "b", null] })).toBe('"a"|"b"|null')
    expect(text({ const: 5 })).toBe("5")
    expect(text({ enum: ["x"], format: "slug" })).toBe('"x" format="slug"')
  })

  it("marks optional properties and keeps required ones bare", () => {
    const schema = {
      type: "object",
      required: ["id", "note"],
      properties: {
        id: { type: "integer", description: "Unique id." },
        name: { type: "string", description: "Display name." }
      }
    }
    expect(text(schema)).toBe("{\n id: integer // Unique id.\n name?: string // Display name.\n note: any\n}")
  })

  it("puts properties of one type on one line", () => {
    const schema = {
      type: "object",
      required: ["url"],
      properties: {
        url: { type: "string", format: "uri" },
        count: { type: "integer" },
        html_url: { type: "string", format: "uri" }
      }
    }
    expect(text(schema)).toBe("{url, html_url?: string(uri); count?: integer}")
  })

  it("writes long objects one property per line", () => {
    const properties = Object.fromEntries(
      ["first", "second", "third", "fourth", "fifth", "sixth"].map((name, index) => [
        name,
        { type: "integer", minimum: index }
      ])
    )
    const written = text({ type: "object", properties })
    expect(written.split("\n")).toHaveLength(8)
    expect(written).toContain("\n sixth?: integer minimum=5\n")
  })

  it("indents nested objects", () => {
    const schema = {
      type: "object",
      properties: {
        owner: {
          type: "object",
          description: "The owner.",
          properties: { login: { type: "string", description: "Login name." } }
        }
      }
    }
    expect(text(schema)).toBe("{\n owner?: {\n  login?: string // Login name.\n } // The owner.\n}")
  })

  it("writes arrays, maps and closed objects", () => {
    expect(text({ type: "array", items: { type: "string" }, minItems: 1 })).toBe("string[] minItems=1")
    expect(text({ type: "array", items: { type: ["string", "null"] } })).toBe("(string|null)[]")
    expect(text({ type: "object", additionalProperties: { type: "integer" } })).toBe(
      "{[key: string]: integer}"
    )
    expect(text({ type: "object", properties: { a: { type: "string" } }, additionalProperties: false })).toBe(
      "{a?: string} additionalProperties=false"
    )
    expect(text({ type: "object" })).toBe("object")
  })

  it("writes anyOf, oneOf and allOf", () => {
    expect(text({ anyOf: [{ type: "string" }, { type: "integer" }] })).toBe("string | integer")
    expect(text({ oneOf: [{ type: "string" }, { type: "integer" }] })).toBe("oneOf(string | integer)")
    expect(
      text({ allOf: [{ type: "object", properties: { a: { type: "string" } } }, { required: ["a"] }] })
    ).toBe('{a?: string} & (any required=["a"])')
  })

  it("writes one distinct oneOf member as that member", () => {
    expect(text({ oneOf: [cutMarker(1), cutMarker(1)] })).toBe("(cut at depth 1)")
  })

  it("writes cut schemas with their depth", () => {
    expect(text({ type: "array", items: cutMarker(3) })).toBe("(cut at depth 3)[]")
  })

  it("writes flags, defaults and examples", () => {
    expect(text({ type: "string", readOnly: true, default: "x", examples: ["a", "b"] })).toBe(
      'string readOnly default="x" e.g. "a", "b"'
    )
  })

  it("quotes property names that are not plain words", () => {
    expect(text({ type: "object", properties: { "+1": { type: "integer" } } })).toBe('{"+1"?: integer}')
  })

  it("returns the description as the comment", () => {
    expect(schemaNotation({ type: "string", description: "A\nname." })).toEqual({
      text: "string",
      comment: "A name."
    })
    expect(schemaNotation({ type: "string", title: "Name" }).comment).toBe("Name")
  })

  it("writes a described array item as a block comment", () => {
    expect(text({ type: "array", items: { type: "string", description: "A tag." } })).toBe(
      "(string /* A tag. */)[]"
    )
  })
})
