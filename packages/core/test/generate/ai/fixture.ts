/** A hand-built pet store spec and helpers for the AI generator tests. */
import { Effect } from "effect"
import type { CompletionRequest, CompletionResponse } from "../../../src/ai/LanguageModel.js"
import type { AnswerScenario } from "../../../src/generate/ai/index.js"
import type { ApiSpec, JsonSchema, Operation, Parameter, Response } from "../../../src/spec/model.js"

export const definitions = new Map<string, JsonSchema>([
  [
    "Pet",
    {
      type: "object",
      required: ["id", "name"],
      properties: {
        id: { type: "integer", minimum: 1 },
        name: {
          type: "string",
          minLength: 1,
          description: "The pet's name. Names are unique within a store."
        },
        tag: { type: "string" },
        status: { type: "string", enum: ["available", "sold"] }
      }
    }
  ],
  [
    "NewPet",
    {
      type: "object",
      required: ["name"],
      additionalProperties: false,
      properties: {
        name: { type: "string", minLength: 1, maxLength: 40 },
        tag: { type: "string" },
        status: { type: "string", enum: ["available", "sold"] }
      }
    }
  ],
  [
    "Node",
    {
      type: "object",
      properties: {
        label: { type: "string", description: "Label of the node." },
        children: { type: "array", items: { $ref: "#/$defs/Node" } }
      }
    }
  ],
  ["Level1", { type: "object", properties: { level2: { $ref: "#/$defs/Level2" } } }],
  ["Level2", { type: "object", properties: { level3: { $ref: "#/$defs/Level3" } } }],
  ["Level3", { type: "object", properties: { level4: { $ref: "#/$defs/Level4" } } }],
  [
    "Level4",
    { type: "object", properties: { deepest: { type: "string", description: "Only in the full view." } } }
  ]
])

const parameter = (
  name: string,
  location: Parameter["in"],
  schema: JsonSchema,
  required: boolean
): Parameter => ({
  name,
  in: location,
  required,
  deprecated: false,
  style: location === "query" ? "form" : "simple",
  explode: location === "query",
  allowReserved: false,
  allowEmptyValue: false,
  schema,
  examples: []
})

const jsonResponse = (status: string, description: string, schema?: JsonSchema): Response => ({
  status,
  description,
  content:
    schema === undefined ? [] : [{ mediaType: "application/json", schema, examples: [], encoding: {} }],
  headers: [],
  links: []
})

export const makeOperation = (
  fields: Partial<Operation> & Pick<Operation, "id" | "method" | "path">
): Operation => ({
  tags: [],
  deprecated: false,
  servers: ["/"],
  parameters: [],
  responses: [jsonResponse("200", "OK")],
  security: [],
  fingerprint: `fingerprint-${fields.id}`,
  problems: [],
  pointer: `/paths/${fields.path.replaceAll("/", "~1")}/${fields.method}`,
  ...fields
})

export const listPets = makeOperation({
  id: "listPets",
  method: "get",
  path: "/pets",
  summary: "List pets",
  description: "Returns at most `limit` pets, sorted by name.",
  parameters: [
    parameter("limit", "query", { type: "integer", minimum: 1, maximum: 100 }, false),
    parameter("X-Request-Id", "header", { type: "string" }, false)
  ],
  responses: [
    jsonResponse("200", "A page of pets", { type: "array", items: { $ref: "#/$defs/Pet" } }),
    jsonResponse("400", "Bad limit", { $ref: "#/$defs/Level1" })
  ],
  security: [[{ scheme: "bearerAuth", scopes: [] }]]
})

export const createPet = makeOperation({
  id: "createPet",
  method: "post",
  path: "/pets",
  summary: "Create a pet",
  requestBody: {
    required: true,
    content: [
      { mediaType: "application/json", schema: { $ref: "#/$defs/NewPet" }, examples: [], encoding: {} }
    ]
  },
  responses: [jsonResponse("201", "Created", { $ref: "#/$defs/Pet" }), jsonResponse("422", "Invalid pet")]
})

export const getPet = makeOperation({
  id: "getPet",
  method: "get",
  path: "/pets/{petId}",
  parameters: [parameter("petId", "path", { type: "integer", minimum: 1 }, true)],
  responses: [jsonResponse("200", "The pet", { $ref: "#/$defs/Pet" }), jsonResponse("404", "No such pet")]
})

export const deletePet = makeOperation({
  id: "deletePet",
  method: "delete",
  path: "/pets/{petId}",
  parameters: [parameter("petId", "path", { type: "integer", minimum: 1 }, true)],
  responses: [jsonResponse("204", "Deleted")]
})

export const getTree = makeOperation({
  id: "getTree",
  method: "get",
  path: "/trees",
  responses: [jsonResponse("200", "The whole tree", { $ref: "#/$defs/Node" })]
})

export const getDeep = makeOperation({
  id: "getDeep",
  method: "get",
  path: "/deep",
  responses: [jsonResponse("200", "A deep document", { $ref: "#/$defs/Level1" })]
})

export const spec: ApiSpec = {
  title: "Pet store",
  version: "1.0.0",
  specVersion: "3.1",
  source: "memory",
  contentHash: "test",
  servers: ["http://127.0.0.1"],
  securitySchemes: { bearerAuth: { type: "http", name: "bearerAuth", scheme: "bearer" } },
  definitions,
  operations: [listPets, createPet, getPet, deletePet, getTree, getDeep],
  problems: [],
  warnings: []
}

export const generateOptions = { seed: 7, maxScenariosPerOperation: 10 }

/** A scenario answer with every field filled; `fields` override the defaults. */
export const answerScenario = (
  fields: Partial<AnswerScenario> & Pick<AnswerScenario, "operationId">
): AnswerScenario => ({
  intent: "valid",
  description: "Lists pets with a limit",
  specText: "Returns at most `limit` pets, sorted by name.",
  request: { pathParams: [], query: [], headers: [], body: null },
  expect: "2xx",
  assertions: [],
  ...fields
})

/** A successful completion of `value`, with the given token counts. */
export const completion = (
  value: unknown,
  promptTokens = 100,
  completionTokens = 50
): CompletionResponse => ({
  value,
  raw: JSON.stringify(value),
  usage: { promptTokens, completionTokens },
  model: "test-model",
  mode: "json_schema"
})

/** A scripted model that answers each request with the next item of `answers` (the last one repeats) and records the requests. */
export const scriptedModel = (
  answers: ReadonlyArray<
    (
      request: CompletionRequest
    ) => Effect.Effect<CompletionResponse, import("../../../src/ai/LanguageModel.js").LanguageModelError>
  >
) => {
  const requests: Array<CompletionRequest> = []
  const answer = (request: CompletionRequest) =>
    Effect.suspend(() => {
      const index = Math.min(requests.length, answers.length - 1)
      requests.push(request)
      const next = answers[index]
      return next === undefined ? Effect.die("no scripted answer") : next(request)
    })
  return { requests, answer }
}
