import { describe, expect, it } from "@effect/vitest"
import {
  buildPrompt,
  compactSchema,
  maxParameterDescriptionLength,
  naivePromptTokens,
  promptTokens,
  promptVersion
} from "../../../src/generate/ai/index.js"
import { operationHintFromMessages } from "../../../src/model-server/operation-hints.js"
import type { JsonSchema, Parameter } from "../../../src/spec/model.js"
import { createPet, definitions, getDeep, getPet, getTree, listPets, makeOperation, spec } from "./fixture.js"

const settings = { scenariosPerCall: 5, schemaDepth: 3 }

/** Returns the user message of the prompt for `operation`. */
const userText = (operation: typeof listPets, promptSettings = settings): string =>
  buildPrompt(spec, operation, promptSettings).messages.find((message) => message.role === "user")?.content ??
  ""

/** Returns the lines of the user message that start with `start`. */
const linesStartingWith = (text: string, start: string): ReadonlyArray<string> =>
  text.split("\n").filter((line) => line.startsWith(start))

const queryParameter = (name: string, description: string): Parameter => ({
  name,
  in: "query",
  required: false,
  deprecated: false,
  style: "form",
  explode: true,
  allowReserved: false,
  allowEmptyValue: false,
  schema: { type: "string" },
  examples: [],
  description
})

describe("buildPrompt", () => {
  it("shows the operation with resolved schemas", () => {
    const text = userText(createPet)
    expect(text).toContain("\nPOST /pets\noperationId: createPet\n")
    expect(text).toContain(
      'body: {name: string minLength=1 maxLength=40; tag?: string; status?: "available"|"sold"} additionalProperties=false'
    )
    expect(text).not.toContain("$ref")
  })

  it("lists related operations by method and path", () => {
    const text = userText(listPets)
    expect(linesStartingWith(text, "same resource:")).toEqual([
      "same resource: POST this path; GET, DELETE this path/{petId}"
    ])
    expect(userText(getPet)).toContain("same resource: GET, POST /pets; DELETE this path")
    expect(text).not.toContain("/trees")
  })

  it("keeps security, constraints and descriptions", () => {
    const text = userText(listPets)
    expect(text).toContain("\nsecurity: bearerAuth (http bearer)\n")
    expect(text).toContain("\nquery limit?: integer minimum=1 maximum=100\n")
    expect(text).toContain("\nheader X-Request-Id?: string\n")
    expect(text).toContain("\nReturns at most `limit` pets, sorted by name.\n")
  })

  it("shows body schemas of success responses only", () => {
    const text = userText(listPets)
    expect(text).toContain("200 A page of pets: {\n id: integer minimum=1\n name: string minLength=1\n")
    expect(text).toContain('\n status?: "available"|"sold"\n}[]\n')
    expect(text).toContain("\n400 Bad limit\n")
    expect(text).not.toContain("level2")
  })

  it("leaves descriptions out of response schemas", () => {
    const text = userText(getPet)
    expect(text).toContain("\n200 The pet: {\n")
    expect(text).not.toContain("Names are unique within a store.")
  })

  it("cuts a recursive schema at depth 3", () => {
    const text = userText(getTree)
    expect(text).toContain(
      "children?: {label?: string; children?: {label?: string; children?: (cut at depth 3)[]}[]}[]"
    )
  })

  it("cuts a deep chain of references at depth 3", () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test walks the schema whose shape it asserts.
    const cut = compactSchema(definitions, { $ref: "#/$defs/Level1" }, 3) as Record<string, any>
    expect(cut.properties.level2.properties.level3.properties.level4).toEqual({
      description: "(cut at depth 3)"
    })
    const text = userText(getDeep)
    expect(text).toContain("{level2?: {level3?: {level4?: (cut at depth 3)}}}")
    expect(text).not.toContain("Only in the full view.")
  })

  it("inlines composition branches at their parent's depth", () => {
    const variants = new Map<string, JsonSchema>([
      ["Cat", { type: "object", properties: { meows: { type: "boolean" }, home: { $ref: "#/$defs/Home" } } }],
      ["Dog", { type: "object", properties: { barks: { type: "boolean" } } }],
      ["Pet", { oneOf: [{ $ref: "#/$defs/Cat" }, { $ref: "#/$defs/Dog" }] }],
      ["Home", { type: "object", properties: { city: { type: "string" } } }],
      ["Loop", { anyOf: [{ $ref: "#/$defs/Loop" }, { type: "string" }] }]
    ])
    // biome-ignore lint/suspicious/noExplicitAny: the test walks the schema whose shape it asserts.
    const pet = compactSchema(variants, { $ref: "#/$defs/Pet" }, 1) as Record<string, any>
    expect(pet.oneOf[0].properties.meows).toEqual({ type: "boolean" })
    expect(pet.oneOf[0].properties.home).toEqual({ description: "(cut at depth 1)" })
    expect(pet.oneOf[1].properties.barks).toEqual({ type: "boolean" })
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const loop = compactSchema(variants, { $ref: "#/$defs/Loop" }, 3) as Record<string, any>
    expect(loop.anyOf[0]).toEqual({ description: "(recursive reference to Loop)" })
    expect(loop.anyOf[1]).toEqual({ type: "string" })
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
    const tight = userText(createPet, { ...settings, maxPromptTokens: 1 })
    expect(linesStartingWith(tight, "201")).toEqual(["201"])
    expect(tight).toContain("name: string minLength=1 maxLength=40")
    const roomy = userText(createPet, { ...settings, maxPromptTokens: 100_000 })
    expect(linesStartingWith(roomy, "201")).toEqual(["201: {"])
  })

  it("drops Markdown link targets from descriptions", () => {
    const linked = makeOperation({
      ...listPets,
      description: "See [pagination](https://example.com/docs) for details."
    })
    expect(userText(linked)).toContain("\nSee pagination for details.\n")
  })

  it("drops sentences that only point to a linked page", () => {
    const pointer = makeOperation({
      ...listPets,
      description:
        'Lists pets. For more information, see "[Paging](https://example.com/paging)." At most 100 per page.'
    })
    expect(userText(pointer)).toContain("\nLists pets. At most 100 per page.\n")
  })

  it("drops Markdown emphasis and blockquote marks", () => {
    const marked = makeOperation({
      ...listPets,
      description: "> [!WARNING]\n> **Closing down:** this operation will be removed."
    })
    expect(userText(marked)).toContain("\nWarning: Closing down: this operation will be removed.\n")
  })

  it("shortens long descriptions", () => {
    const long = makeOperation({ ...listPets, description: "x".repeat(5_000) })
    const [line] = linesStartingWith(userText(long), "x")
    expect(line?.length).toBe(300)
    expect(line?.endsWith("…")).toBe(true)
  })

  it("shortens parameter descriptions to 160 characters", () => {
    const long = makeOperation({ ...listPets, parameters: [queryParameter("q", "y".repeat(1_000))] })
    const [line] = linesStartingWith(userText(long), "query q?: string // ")
    expect(maxParameterDescriptionLength).toBe(160)
    expect(line?.length).toBe("query q?: string // ".length + 160)
  })

  it("leaves out a summary the description repeats", () => {
    const repeated = makeOperation({
      ...listPets,
      summary: "List pets",
      description: "Lists all pets by name."
    })
    expect(linesStartingWith(userText(repeated), "summary:")).toEqual([])
    const distinct = makeOperation({ ...listPets, summary: "List pets", description: "Sorted by name." })
    expect(linesStartingWith(userText(distinct), "summary:")).toEqual(["summary: List pets"])
  })

  it("leaves out response descriptions that only name the status", () => {
    const bare = makeOperation({
      ...getPet,
      responses: [
        { status: "204", description: "Response", content: [], headers: [], links: [] },
        { status: "403", description: "Forbidden", content: [], headers: [], links: [] },
        { status: "404", description: "Resource not found", content: [], headers: [], links: [] },
        { status: "409", description: "Conflict if the pet is sold", content: [], headers: [], links: [] }
      ]
    })
    const text = userText(bare)
    expect(text).toContain("\nresponses:\n204\n403\n404\n409 Conflict if the pet is sold\n")
  })

  it("lets the model server read the operation back", () => {
    const hint = operationHintFromMessages(buildPrompt(spec, createPet, settings).messages)
    expect(hint).toEqual({
      method: "POST",
      path: "/pets",
      operationId: "createPet",
      summary: "Create a pet",
      statuses: [201, 422]
    })
  })

  it("is smaller than the fully dereferenced prompt", () => {
    const deepCompact = promptTokens(buildPrompt(spec, getDeep, settings).messages)
    expect(naivePromptTokens(spec, getDeep)).toBeGreaterThan(deepCompact)
  })
})
