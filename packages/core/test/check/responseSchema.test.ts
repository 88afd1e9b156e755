import { describe, expect, it } from "@effect/vitest"
import { responseSchemaConformance, signaturePath } from "../../src/check/responseSchema.js"
import { branchName, chooseDiscriminatorBranch, toStandalone } from "../../src/check/schema.js"
import type { JsonSchema } from "../../src/spec/model.js"
import {
  makeExchange,
  makeInput,
  makeOperation,
  makeSpec,
  mediaType,
  messageOf,
  reasonOf,
  response,
  signatureOf
} from "./fixtures.js"

const definitions: Record<string, JsonSchema> = {
  Item: {
    type: "object",
    required: ["id", "price"],
    properties: {
      id: { type: "integer" },
      price: { type: "number" },
      tags: { type: "array", items: { type: "string" } }
    }
  },
  // A recursive definition: reachable defs are collected once.
  Node: { type: "object", properties: { child: { $ref: "#/$defs/Node" }, value: { type: "integer" } } },
  "Cat.response": {
    type: "object",
    required: ["petType", "meows"],
    properties: { petType: { const: "cat" }, meows: { type: "boolean" } }
  },
  "Dog.response": {
    type: "object",
    required: ["petType", "barks"],
    properties: { petType: { const: "dog" }, barks: { type: "integer" } }
  },
  "Pet.response": {
    oneOf: [{ $ref: "#/$defs/Cat.response" }, { $ref: "#/$defs/Dog.response" }],
    discriminator: { propertyName: "petType", mapping: { cat: "#/components/schemas/Cat", dog: "Dog" } }
  }
}
const spec = makeSpec(definitions)
const itemSchema: JsonSchema = { $ref: "#/$defs/Item" }
const listSchema: JsonSchema = { type: "array", items: { $ref: "#/$defs/Item" } }
const petSchema: JsonSchema = { $ref: "#/$defs/Pet.response" }

const operation = makeOperation({
  responses: [
    response("200", [mediaType("application/json", itemSchema), mediaType("text/plain", { type: "string" })]),
    response("201", [mediaType("application/json", listSchema)]),
    response("202", [mediaType("application/json", petSchema)]),
    response("203", [mediaType("application/json", { $ref: "#/$defs/Node" })]),
    response("204"),
    response("206", [mediaType("application/json")])
  ]
})

const judge = (exchange: ReturnType<typeof makeExchange>) =>
  responseSchemaConformance.judge(makeInput({ spec, operation, exchange }))

describe("response_schema_conformance", () => {
  it("fails a wrong-typed field with path and keyword", () => {
    const outcome = judge(makeExchange({ body: { id: 1, price: "12" } }))
    expect(outcome.status).toBe("failed")
    if (outcome.status !== "failed") return
    expect(outcome.signature).toBe("/price: type")
    expect(outcome.message).toContain("/price")
  })

  it("passes a matching body", () => {
    expect(judge(makeExchange({ body: { id: 1, price: 12.5 } })).status).toBe("passed")
  })

  it("uses the pipeline's parsed body", () => {
    const exchange = makeExchange({ body: { id: 1, price: 1 } })
    const outcome = responseSchemaConformance.judge(
      makeInput({ spec, operation, exchange, parsedBody: { value: { id: "x", price: 1 } } })
    )
    expect(signatureOf(outcome)).toBe("/id: type")
  })

  it("replaces array indices in signatures", () => {
    const outcome = judge(
      makeExchange({
        status: 201,
        body: [
          { id: 1, price: 1 },
          { id: 2, price: "x" }
        ]
      })
    )
    expect(signatureOf(outcome)).toBe("/*/price: type")
    expect(signaturePath("")).toBe("(root)")
    expect(signaturePath("/items/12/tags/0")).toBe("/items/*/tags/*")
  })

  it("reports a missing required field", () => {
    const outcome = judge(makeExchange({ body: { id: 1 } }))
    expect(signatureOf(outcome)).toBe("(root): required")
  })

  it("validates recursive definitions", () => {
    expect(judge(makeExchange({ status: 203, body: { child: { child: { value: 1 } } } })).status).toBe(
      "passed"
    )
    const outcome = judge(makeExchange({ status: 203, body: { child: { child: { value: "deep" } } } }))
    expect(signatureOf(outcome)).toBe("/child/child/value: type")
  })

  it("fails a body that is not valid JSON", () => {
    const outcome = judge(
      makeExchange({ body: "{not json", headers: { "content-type": "application/json" } })
    )
    expect(signatureOf(outcome)).toBe("invalid JSON")
  })

  it("does not validate a media type without schema", () => {
    const outcome = judge(makeExchange({ status: 206, body: { any: 1 } }))
    expect(outcome.status).toBe("not_validated")
    expect(reasonOf(outcome)).toContain("no schema")
  })

  it("does not validate a non-JSON body with a schema", () => {
    const outcome = judge(makeExchange({ body: "plain", headers: { "content-type": "text/plain" } }))
    expect(outcome.status).toBe("not_validated")
    expect(reasonOf(outcome)).toContain("not JSON")
  })

  it("does not validate a truncated body", () => {
    expect(judge(makeExchange({ body: { id: 1, price: 1 }, truncated: true })).status).toBe("not_validated")
  })

  it("does not validate an undeclared content type", () => {
    const outcome = judge(makeExchange({ body: "<p>", headers: { "content-type": "text/html" } }))
    expect(outcome.status).toBe("not_validated")
  })

  it("skips 204, undeclared statuses and rate limiting", () => {
    expect(judge(makeExchange({ status: 204 })).status).toBe("skipped")
    expect(judge(makeExchange({ status: 500, body: {} })).status).toBe("skipped")
    expect(judge(makeExchange({ body: { id: "x" }, rateLimited: true })).status).toBe("skipped")
  })

  it("returns the same standalone object each time", () => {
    const first = toStandalone(spec, itemSchema)
    expect(toStandalone(spec, itemSchema)).toBe(first)
    expect(first).toEqual({ $ref: "#/$defs/Item", $defs: { Item: definitions.Item } })
    const recursive = toStandalone(spec, { $ref: "#/$defs/Node" })
    expect(recursive).toEqual({ $ref: "#/$defs/Node", $defs: { Node: definitions.Node } })
  })
})

describe("discriminator", () => {
  it("validates against the selected branch", () => {
    expect(judge(makeExchange({ status: 202, body: { petType: "cat", meows: true } })).status).toBe("passed")
    const outcome = judge(makeExchange({ status: 202, body: { petType: "dog", barks: "loud" } }))
    expect(outcome.status).toBe("failed")
    if (outcome.status !== "failed") return
    expect(outcome.signature).toBe("/barks: type")
    expect(outcome.message).toContain('petType "dog"')
  })

  it("reports a missing discriminator value", () => {
    const outcome = judge(makeExchange({ status: 202, body: { meows: true } }))
    expect(outcome.status).toBe("failed")
    if (outcome.status !== "failed") return
    expect(outcome.signature).toBe("/petType: discriminator")
    expect(outcome.message).toContain("no discriminator property")
    expect(outcome.expected).toContain("cat, dog")
  })

  it("reports an unknown discriminator value", () => {
    const outcome = judge(makeExchange({ status: 202, body: { petType: "bird" } }))
    expect(messageOf(outcome)).toContain('"bird"')
  })

  it("matches a bare branch name without mapping", () => {
    const schema: JsonSchema = {
      anyOf: [{ $ref: "#/$defs/Cat.response" }, { $ref: "#/$defs/Dog.response-2" }],
      discriminator: { propertyName: "petType" }
    }
    const choice = chooseDiscriminatorBranch(spec, schema, { petType: "Dog" })
    expect(choice).toEqual({
      kind: "branch",
      schema: { $ref: "#/$defs/Dog.response-2" },
      propertyName: "petType",
      value: "Dog"
    })
    expect(chooseDiscriminatorBranch(spec, schema, "not an object").kind).toBe("none")
  })

  it("derives component names from definition keys", () => {
    expect(branchName({ $ref: "#/$defs/Cat.response" })).toBe("Cat")
    expect(branchName({ $ref: "#/$defs/Cat.request-3" })).toBe("Cat")
    expect(branchName({ $ref: "#/$defs/Plain" })).toBe("Plain")
    expect(branchName({ type: "object" })).toBeUndefined()
  })
})
