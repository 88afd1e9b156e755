import { describe, expect, it } from "@effect/vitest"
import { compileSchema } from "../../src/ai/JsonSchemaValidator.js"
import { answerFromSchema } from "../../src/model-server/builtin-model.js"
import { operationHintFromMessages } from "../../src/model-server/operation-hints.js"

type Schema = { readonly [keyword: string]: unknown }

const expectValid = (schema: Schema, value: unknown) => {
  const compiled = compileSchema(schema)
  if (!compiled.ok) throw new Error(`schema does not compile: ${compiled.message}`)
  expect(compiled.validate(value)).toEqual({ ok: true })
}

const schemas: ReadonlyArray<readonly [string, Schema]> = [
  ["string", { type: "string" }],
  ["string lengths", { type: "string", minLength: 40, maxLength: 45 }],
  ["short string", { type: "string", maxLength: 3 }],
  ["string pattern", { type: "string", pattern: "^[A-Z]{3}-[0-9]{4}$" }],
  [
    "formats",
    {
      type: "object",
      required: ["at", "day", "mail", "id", "link", "ip"],
      properties: {
        at: { type: "string", format: "date-time" },
        day: { type: "string", format: "date" },
        mail: { type: "string", format: "email" },
        id: { type: "string", format: "uuid" },
        link: { type: "string", format: "uri" },
        ip: { type: "string", format: "ipv4" }
      }
    }
  ],
  ["integer bounds", { type: "integer", minimum: 10, maximum: 12 }],
  ["exclusive bounds", { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 }],
  ["multipleOf", { type: "integer", minimum: 7, multipleOf: 5 }],
  ["boolean", { type: "boolean" }],
  ["null", { type: "null" }],
  ["enum", { enum: ["red", "green", "blue"] }],
  ["const", { const: { fixed: 1 } }],
  ["type list", { type: ["null", "integer"] }],
  [
    "anyOf",
    {
      anyOf: [
        { type: "string", minLength: 2 },
        { type: "integer", minimum: 0 }
      ]
    }
  ],
  ["oneOf", { oneOf: [{ type: "string" }, { type: "boolean" }] }],
  [
    "allOf",
    {
      allOf: [
        { type: "object", required: ["a"], properties: { a: { type: "string" } } },
        { type: "object", required: ["b"], properties: { b: { type: "integer" } } }
      ]
    }
  ],
  ["array minItems", { type: "array", items: { type: "integer" }, minItems: 3, maxItems: 5 }],
  ["unique enum items", { type: "array", items: { enum: ["a", "b", "c"] }, minItems: 3, uniqueItems: true }],
  ["prefixItems", { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], items: false }],
  ["minProperties", { type: "object", minProperties: 2, additionalProperties: { type: "integer" } }],
  [
    "strict object",
    {
      type: "object",
      additionalProperties: false,
      required: ["name", "tags"],
      properties: { name: { type: "string" }, tags: { type: "array", items: { type: "string" } } }
    }
  ],
  [
    "recursive $ref",
    {
      $ref: "#/$defs/Node",
      $defs: {
        Node: {
          type: "object",
          required: ["value", "children"],
          properties: {
            value: { type: "integer" },
            children: { type: "array", items: { $ref: "#/$defs/Node" } }
          }
        }
      }
    }
  ],
  [
    "recursive anyOf null",
    {
      $defs: {
        List: {
          type: "object",
          required: ["head", "tail"],
          properties: {
            head: { type: "string" },
            tail: { anyOf: [{ $ref: "#/$defs/List" }, { type: "null" }] }
          }
        }
      },
      $ref: "#/$defs/List"
    }
  ],
  [
    "definitions ref",
    {
      type: "object",
      required: ["pet"],
      properties: { pet: { $ref: "#/definitions/Pet" } },
      definitions: {
        Pet: { type: "object", required: ["id"], properties: { id: { type: "integer", minimum: 1 } } }
      }
    }
  ]
]

describe("answerFromSchema", () => {
  for (const [name, schema] of schemas) {
    it(`satisfies ${name}`, () => {
      for (const seed of ["first", "second", "third"]) expectValid(schema, answerFromSchema(schema, seed))
    })
  }

  it("same seed gives same value", () => {
    const schema = schemas.find(([name]) => name === "formats")![1]
    expect(answerFromSchema(schema, "seed")).toEqual(answerFromSchema(schema, "seed"))
  })

  it("different seeds vary values", () => {
    const schema = { type: "integer", minimum: 0, maximum: 1_000_000 }
    const values = new Set(["a", "b", "c", "d", "e"].map((seed) => answerFromSchema(schema, seed)))
    expect(values.size).toBeGreaterThan(1)
  })

  it("reads the operation from prompt text", () => {
    const prompt = [
      "Write 5 test scenarios for this operation.",
      "POST /pets",
      "operationId: createPet",
      "summary: Create a pet",
      "body: {",
      " name: string",
      " 200: integer",
      "}",
      "responses:",
      "201: {id: integer}",
      "422 Invalid pet",
      "default",
      "",
      "DELETE /pets/{petId}",
      "operationId: deletePet",
      "responses:",
      "204"
    ].join("\n")
    const operation = operationHintFromMessages([{ role: "user", content: prompt }])
    expect(operation).toEqual({
      method: "POST",
      path: "/pets",
      operationId: "createPet",
      summary: "Create a pet",
      statuses: [201, 422]
    })
  })

  it("reads no operation from other text", () => {
    const messages = [{ role: "user" as const, content: "Write a haiku about GET requests." }]
    expect(operationHintFromMessages(messages)).toBeUndefined()
  })

  it("fills fields from the operation", () => {
    const prompt = JSON.stringify({
      operation: {
        method: "post",
        path: "/pets",
        operationId: "createPet",
        responses: { "400": {}, "201": {} }
      }
    })
    const operation = operationHintFromMessages([
      { role: "user", content: `Write tests.\n\`\`\`json\n${prompt}\n\`\`\`` }
    ])
    expect(operation?.method).toBe("POST")
    const schema = {
      type: "object",
      required: ["scenarios"],
      properties: {
        scenarios: {
          type: "array",
          minItems: 2,
          items: {
            type: "object",
            required: ["name", "method", "path", "expectedStatus"],
            properties: {
              name: { type: "string" },
              method: { enum: ["GET", "POST"] },
              path: { type: "string" },
              expectedStatus: { type: "integer" }
            }
          }
        }
      }
    }
    const value = answerFromSchema(schema, "seed", { operation }) as {
      scenarios: Array<{ name: string; method: string; path: string; expectedStatus: number }>
    }
    expectValid(schema, value)
    expect(value.scenarios[0]?.method).toBe("POST")
    expect(value.scenarios[0]?.path).toBe("/pets")
    expect(value.scenarios[0]?.expectedStatus).toBe(201)
    expect(value.scenarios[0]?.name).not.toBe(value.scenarios[1]?.name)
  })
})
