import { describe, expect, it } from "@effect/vitest"
import {
  buildPrompt,
  compactSchema,
  naivePromptTokens,
  promptTokens,
  promptVersion
} from "../../../src/generate/ai/index.js"
import { createPet, definitions, getDeep, getTree, listPets, makeOperation, spec } from "./fixture.js"

const settings = { scenariosPerCall: 5, schemaDepth: 3 }

/** Returns the JSON block of the prompt's user message, parsed. */
// biome-ignore lint/suspicious/noExplicitAny: the tests walk parsed prompt JSON whose shape they assert.
const promptJson = (operation: typeof listPets): Record<string, any> => {
  const user = buildPrompt(spec, operation, settings).messages.find((message) => message.role === "user")
  const block = /```json\n([\s\S]*?)\n```/.exec(user?.content ?? "")
  return JSON.parse(block?.[1] ?? "null")
}

describe("buildPrompt", () => {
  it("shows the operation with resolved schemas", () => {
    const content = promptJson(createPet)
    expect(content.operation.operationId).toBe("createPet")
    expect(content.operation.method).toBe("POST")
    expect(content.operation.requestBody.schema.required).toEqual(["name"])
    expect(content.operation.requestBody.schema.properties.name.maxLength).toBe(40)
    expect(JSON.stringify(content)).not.toContain("$ref")
  })

  it("lists related operations by method, path and id only", () => {
    const content = promptJson(listPets)
    expect(content.relatedOperations).toEqual([
      { operationId: "createPet", method: "POST", path: "/pets" },
      { operationId: "getPet", method: "GET", path: "/pets/{petId}" },
      { operationId: "deletePet", method: "DELETE", path: "/pets/{petId}" }
    ])
    expect(JSON.stringify(content)).not.toContain("/trees")
  })

  it("keeps security, constraints and descriptions", () => {
    const content = promptJson(listPets)
    expect(content.operation.security).toEqual([[{ scheme: "bearerAuth", kind: "http bearer" }]])
    expect(content.operation.parameters[0].schema).toEqual({ type: "integer", minimum: 1, maximum: 100 })
    expect(content.operation.description).toBe("Returns at most `limit` pets, sorted by name.")
  })

  it("shows body schemas of success responses only", () => {
    const responses = promptJson(listPets).operation.responses
    expect(responses[0].schema.items.properties.name.type).toBe("string")
    expect(responses[1]).toEqual({ status: "400", description: "Bad limit" })
  })

  it("cuts a recursive schema at depth 3", () => {
    const schema = promptJson(getTree).operation.responses[0].schema
    const level3 = schema.properties.children.items.properties.children.items.properties.children.items
    expect(level3).toEqual({ description: "(cut at depth 3)" })
    expect(schema.properties.children.items.properties.label.type).toBe("string")
  })

  it("cuts a deep chain of references at depth 3", () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test walks the schema whose shape it asserts.
    const cut = compactSchema(definitions, { $ref: "#/$defs/Level1" }, 3) as Record<string, any>
    expect(cut.properties.level2.properties.level3.properties.level4).toEqual({
      description: "(cut at depth 3)"
    })
    expect(JSON.stringify(promptJson(getDeep))).not.toContain("Only in the full view.")
  })

  it("records version and a stable SHA-256 hash", () => {
    const first = buildPrompt(spec, listPets, settings)
    const second = buildPrompt(spec, listPets, settings)
    expect(first.promptVersion).toBe(promptVersion)
    expect(first.promptHash).toMatch(/^[0-9a-f]{64}$/)
    expect(second.promptHash).toBe(first.promptHash)
    const changed = makeOperation({ ...listPets, summary: "List every pet" })
    expect(buildPrompt(spec, changed, settings).promptHash).not.toBe(first.promptHash)
  })

  it("cuts response schemas first when over the token limit", () => {
    const tight = { ...settings, maxPromptTokens: 1 }
    const user = buildPrompt(spec, createPet, tight).messages[1]?.content ?? ""
    const content = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(user)?.[1] ?? "null")
    expect(content.operation.responses[0]).toEqual({ status: "201", description: "Created" })
    expect(content.operation.requestBody.schema.properties.name.maxLength).toBe(40)
    const roomy =
      buildPrompt(spec, createPet, { ...settings, maxPromptTokens: 100_000 }).messages[1]?.content ?? ""
    expect(roomy).toContain("Names are unique within a store.")
    expect(user).not.toContain("Names are unique within a store.")
  })

  it("drops Markdown link targets from descriptions", () => {
    const linked = makeOperation({
      ...listPets,
      description: "See [pagination](https://example.com/docs) for details."
    })
    expect(promptJson(linked).operation.description).toBe("See pagination for details.")
  })

  it("shortens long descriptions", () => {
    const long = makeOperation({ ...listPets, description: "x".repeat(5_000) })
    expect(promptJson(long).operation.description.length).toBe(300)
  })

  it("is smaller than the fully dereferenced prompt", () => {
    const deepCompact = promptTokens(buildPrompt(spec, getDeep, settings).messages)
    expect(naivePromptTokens(spec, getDeep)).toBeGreaterThan(deepCompact)
  })
})
