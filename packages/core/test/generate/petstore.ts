/** A pet store operation set that exercises every generator rule. */
import type { ApiSpec, Operation } from "../../src/spec/model.js"
import {
  jsonBody,
  jsonResponse,
  makeOperation,
  makeSpec,
  param,
  petDefinitions,
  secured
} from "./fixtures.js"

const petRef = { $ref: "#/$defs/Pet" }
const petId = param("petId", "path", { type: "integer", minimum: 1 })

export const petOperations: ReadonlyArray<Operation> = [
  makeOperation("createPet", "post", "/pets", {
    requestBody: jsonBody(petRef, [{ name: "Rex", kind: "dog", age: 3 }]),
    responses: [
      jsonResponse("201", petRef, [
        { name: "GetPet", operationId: "getPet", parameters: { petId: "$response.body#/id" } }
      ])
    ],
    security: secured
  }),
  makeOperation("listPets", "get", "/pets", {
    parameters: [
      param("limit", "query", { type: "integer", minimum: 1, maximum: 100 }),
      param(
        "status",
        "query",
        { type: "string", enum: ["available", "sold"] },
        { required: true, examples: ["sold"] }
      ),
      param("X-Request-Id", "header", { type: "string", format: "uuid" }, { required: true }),
      param("session", "cookie", { type: "string", minLength: 8, maxLength: 16 }),
      param("X-Filter", "header", { type: "object", properties: { a: { type: "string" } } })
    ],
    responses: [jsonResponse("200", { type: "array", items: petRef })]
  }),
  makeOperation("getPet", "get", "/pets/{petId}", {
    parameters: [petId],
    responses: [jsonResponse("200", petRef)],
    security: secured
  }),
  makeOperation("updatePet", "put", "/pets/{petId}", { parameters: [petId], requestBody: jsonBody(petRef) }),
  makeOperation("deletePet", "delete", "/pets/{petId}", {
    parameters: [petId],
    responses: [jsonResponse("204")]
  }),
  makeOperation("uploadPhoto", "post", "/pets/{petId}/photo", {
    parameters: [petId],
    requestBody: {
      required: true,
      content: [{ mediaType: "application/octet-stream", examples: [], encoding: {} }]
    }
  }),
  makeOperation("login", "post", "/login", {
    requestBody: jsonBody(
      {
        type: "object",
        required: ["username"],
        properties: {
          username: { type: "string", minLength: 3, maxLength: 10 },
          remember: { type: "boolean" }
        }
      },
      [],
      "application/x-www-form-urlencoded"
    )
  }),
  makeOperation("getColor", "get", "/colors/{color}", {
    parameters: [param("color", "path", { enum: ["red", "blue"] })]
  }),
  makeOperation("getRedNotAllowed", "get", "/colors/red-not-allowed"),
  makeOperation("impossible", "post", "/impossible", {
    requestBody: jsonBody({ type: "integer", minimum: 5, maximum: 1 })
  }),
  makeOperation("broken", "get", "/broken", {
    problems: [
      {
        code: "dangling-ref",
        severity: "error",
        message: "dangling $ref #/components/schemas/X",
        pointer: "/paths/~1broken/get"
      }
    ]
  })
]

export const petSpec: ApiSpec = makeSpec(petOperations, petDefinitions)

export const operationById = (id: string): Operation => {
  const operation = petOperations.find((item) => item.id === id)
  if (operation === undefined) throw new Error(`no operation ${id}`)
  return operation
}
