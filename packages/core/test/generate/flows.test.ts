import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { generateFlows, SchemaGenerator } from "../../src/generate/index.js"
import type { Scenario } from "../../src/scenario/Scenario.js"
import {
  jsonBody,
  jsonResponse,
  makeOperation,
  makeSpec,
  param,
  requestProblems,
  secured
} from "./fixtures.js"
import { petSpec } from "./petstore.js"

const options = { seed: 7, maxScenariosPerOperation: 50 }

const byRule = (scenarios: ReadonlyArray<Scenario>, rule: string): Scenario => {
  const found = scenarios.find((item) => item.provenance.rule === rule)
  if (found === undefined) throw new Error(`no ${rule} among ${scenarios.map((item) => item.id).join(", ")}`)
  return found
}

describe("generateFlows", () => {
  const { scenarios, notes } = generateFlows(petSpec, options)

  it("is deterministic for a seed", () => {
    expect(JSON.stringify(generateFlows(petSpec, options))).toBe(JSON.stringify({ scenarios, notes }))
  })

  it("infers create then read", () => {
    const flow = byRule(scenarios, "flow.create-read")
    expect(flow.id).toBe("createPet:flow.create-read:1")
    expect(flow.provenance.intent).toBe("flow")
    expect(flow.operationIds).toEqual(["createPet", "getPet"])
    const [create, read] = flow.steps
    expect(create?.extract).toEqual([{ variable: "petId", from: "body", path: "/id" }])
    expect(read?.bind).toEqual([{ variable: "petId", location: "path", target: "petId" }])
    expect(read?.request.pathParams).toEqual({})
    expect(read?.expect).toBe("2xx")
  })

  it("infers create, update, read", () => {
    const flow = byRule(scenarios, "flow.create-update-read")
    expect(flow.steps.map((step) => step.operationId)).toEqual(["createPet", "updatePet", "getPet"])
    expect(flow.steps.map((step) => step.id)).toEqual(["step-1", "step-2", "step-3"])
  })

  it("reads after delete expecting not found", () => {
    const flow = byRule(scenarios, "flow.create-delete-read")
    expect(flow.steps.map((step) => step.operationId)).toEqual(["createPet", "deletePet", "getPet"])
    expect(flow.steps[2]?.afterDelete).toBe(true)
    expect(flow.steps[2]?.expect).toBe("not_found")
    expect(flow.steps[1]?.afterDelete).toBeUndefined()
  })

  it("calls a secured operation without credentials", () => {
    const flow = byRule(scenarios, "flow.create-unauthenticated")
    expect(flow.steps[1]?.request.auth).toBe("none")
    expect(flow.steps[1]?.expect).toBe("auth")
    expect(flow.steps[0]?.request.auth).toBe("default")
  })

  it("follows links", () => {
    const flow = byRule(scenarios, "flow.link")
    expect(flow.operationIds).toEqual(["createPet", "getPet"])
    expect(flow.steps[0]?.extract).toEqual([{ variable: "link.path.petId", from: "body", path: "/id" }])
    expect(flow.steps[1]?.bind).toEqual([{ variable: "link.path.petId", location: "path", target: "petId" }])
    expect(flow.provenance.source).toBe("/paths/~1pets/post/responses/201/links/GetPet")
  })

  it("flow requests are valid apart from bound values", () => {
    for (const flow of scenarios) {
      for (const step of flow.steps) {
        const operation = petSpec.operations.find((item) => item.id === step.operationId)
        if (operation === undefined) throw new Error(step.operationId)
        const bound = new Set(step.bind.map((binding) => `${binding.location}.${binding.target}`))
        const problems = requestProblems(petSpec, operation, step.request).filter(
          (problem) => !bound.has(problem.replace(" missing", ""))
        )
        expect(problems, `${flow.id} ${step.id}`).toEqual([])
      }
      expect(new Set(flow.steps.map((step) => step.id)).size).toBe(flow.steps.length)
    }
  })

  it("wires link constants, request values and headers", () => {
    const source = makeOperation("createOrder", "post", "/orders", {
      parameters: [param("tenant", "query", { type: "string", enum: ["acme"] }, { required: true })],
      responses: [
        jsonResponse("201", { type: "object", properties: { id: { type: "string" } } }, [
          {
            name: "Items",
            operationId: "listItems",
            parameters: {
              "path.orderId": "$response.header.Location",
              tenant: "$request.query.tenant",
              limit: 5
            }
          },
          { name: "Broken", operationId: "missing", parameters: {} }
        ])
      ]
    })
    const target = makeOperation("listItems", "get", "/orders/{orderId}/items", {
      parameters: [
        param("orderId", "path", { type: "string" }),
        param("tenant", "query", { type: "string" }, { required: true }),
        param("limit", "query", { type: "integer" })
      ]
    })
    const result = generateFlows(makeSpec([source, target]), options)
    const flow = byRule(result.scenarios, "flow.link")
    expect(flow.steps[0]?.extract).toEqual([
      { variable: "link.path.orderId", from: "header", path: "Location" }
    ])
    expect(flow.steps[1]?.request.query).toEqual({ tenant: "acme", limit: 5 })
    expect(result.notes.map((note) => note.message)).toContain(
      "link Broken skipped: target operation missing is missing or not usable"
    )
  })

  it("reads back after a linked delete", () => {
    const link = (name: string, operationId: string) => ({
      name,
      operationId,
      parameters: { taskId: "$response.body#/id" }
    })
    const create = makeOperation("createTask", "post", "/projects/{projectId}/tasks", {
      parameters: [param("projectId", "path", { type: "integer", minimum: 1 })],
      responses: [
        jsonResponse("201", { type: "object", properties: { id: { type: "integer" } } }, [
          link("GetTask", "getTask"),
          link("DeleteTask", "deleteTask")
        ])
      ]
    })
    const taskId = param("taskId", "path", { type: "integer", minimum: 1 })
    const read = makeOperation("getTask", "get", "/tasks/{taskId}", { parameters: [taskId] })
    const remove = makeOperation("deleteTask", "delete", "/tasks/{taskId}", { parameters: [taskId] })
    const flow = byRule(
      generateFlows(makeSpec([create, read, remove]), options).scenarios,
      "flow.link-delete-read"
    )

    expect(flow.steps.map((step) => step.operationId)).toEqual(["createTask", "deleteTask", "getTask"])
    expect(flow.steps[0]?.extract).toEqual([{ variable: "link.path.taskId", from: "body", path: "/id" }])
    expect(flow.steps[2]?.bind).toEqual([
      { variable: "link.path.taskId", location: "path", target: "taskId" }
    ])
    expect(flow.steps[2]?.expect).toBe("not_found")
    expect(flow.steps[2]?.afterDelete).toBe(true)
  })

  it("creates the parent of a nested resource first", () => {
    const created = jsonResponse("201", { type: "object", properties: { id: { type: "integer" } } })
    const projectId = param("projectId", "path", { type: "integer", minimum: 1 })
    const taskId = param("taskId", "path", { type: "integer", minimum: 1 })
    const operations = [
      makeOperation("createProject", "post", "/projects", { responses: [created] }),
      makeOperation("getProject", "get", "/projects/{projectId}", { parameters: [projectId] }),
      makeOperation("createTask", "post", "/projects/{projectId}/tasks", {
        parameters: [projectId],
        responses: [created]
      }),
      makeOperation("listTasks", "get", "/projects/{projectId}/tasks", { parameters: [projectId] }),
      makeOperation("getTask", "get", "/projects/{projectId}/tasks/{taskId}", {
        parameters: [projectId, taskId]
      })
    ]
    const flows = generateFlows(makeSpec(operations), options).scenarios
    const parentBind = { variable: "parent.projectId", location: "path", target: "projectId" }

    const read = flows.find(
      (flow) => flow.provenance.rule === "flow.create-read" && flow.operationIds.includes("getTask")
    )
    expect(read?.steps.map((step) => step.operationId)).toEqual(["createProject", "createTask", "getTask"])
    expect(read?.steps[1]?.bind).toEqual([parentBind])
    expect(read?.steps[1]?.request.pathParams).toEqual({})
    expect(read?.steps[2]?.bind).toEqual([
      parentBind,
      { variable: "taskId", location: "path", target: "taskId" }
    ])
    expect(read?.steps[2]?.request.pathParams).toEqual({})

    const list = byRule(flows, "flow.create-parent-call")
    expect(list.steps.map((step) => step.operationId)).toEqual(["createProject", "listTasks"])
    expect(list.steps[1]?.bind).toEqual([parentBind])
  })

  it("finds ids under data and shares parent path values", () => {
    const create = makeOperation("createNote", "post", "/users/{userId}/notes", {
      parameters: [param("userId", "path", { type: "integer", minimum: 1 })],
      requestBody: jsonBody({ type: "object", properties: { text: { type: "string" } } }),
      responses: [
        jsonResponse("201", {
          type: "object",
          properties: { data: { type: "object", properties: { noteId: { type: "string" } } } }
        })
      ]
    })
    const read = makeOperation("getNote", "get", "/users/{userId}/notes/{noteId}", {
      parameters: [
        param("userId", "path", { type: "integer", minimum: 1 }),
        param("noteId", "path", { type: "string" })
      ],
      security: secured
    })
    const flows = generateFlows(makeSpec([create, read]), options).scenarios
    const flow = byRule(flows, "flow.create-read")
    expect(flow.steps[0]?.extract[0]?.path).toBe("/data/noteId")
    expect(flow.steps[1]?.request.pathParams.userId).toBe(flow.steps[0]?.request.pathParams.userId)
    expect(flows.map((item) => item.provenance.rule)).toEqual([
      "flow.create-read",
      "flow.create-unauthenticated"
    ])
  })

  it("gives each flow's create its own key values", () => {
    const schema = {
      type: "object",
      properties: {
        email: { type: "string", format: "email" },
        user_name: { type: "string", maxLength: 40 },
        code: { type: "string", pattern: "^[A-Z]{3}$" },
        title: { type: "string", enum: ["Dr", "Mr"] },
        note: { type: "string" }
      }
    }
    const example = { email: "ada@example.com", user_name: "ada", code: "ADA", title: "Dr", note: "hi" }

    const create = makeOperation("createUser", "post", "/users", {
      requestBody: jsonBody(schema, [example]),
      responses: [jsonResponse("201", { type: "object", properties: { id: { type: "integer" } } })]
    })
    const read = makeOperation("getUser", "get", "/users/{id}", {
      parameters: [param("id", "path", { type: "integer" })]
    })
    const update = makeOperation("updateUser", "put", "/users/{id}", {
      parameters: [param("id", "path", { type: "integer" })],
      requestBody: jsonBody(schema, [example])
    })

    const flows = generateFlows(makeSpec([create, read, update]), options).scenarios
    const bodies = flows.map((flow) => flow.steps[0]?.request.body?.value as typeof example)
    expect(bodies).toHaveLength(2)
    expect(new Set(bodies.map((body) => body.email)).size).toBe(2)
    expect(new Set(bodies.map((body) => body.user_name)).size).toBe(2)
    for (const body of bodies) {
      expect(body.email).toMatch(/^ada\.[0-9a-z]{6}@example\.com$/)
      // A pattern or enum the tag would break, and names that are no key, keep the example's value.
      expect({ code: body.code, title: body.title, note: body.note }).toEqual({
        code: "ADA",
        title: "Dr",
        note: "hi"
      })
    }
    // An update is no create: it keeps the example.
    expect(flows[1]?.steps[1]?.request.body?.value).toEqual(example)
  })

  it("makes no flow without an id in the response", () => {
    const create = makeOperation("createThing", "post", "/things", {
      responses: [jsonResponse("201", { type: "object", properties: { name: { type: "string" } } })]
    })
    const read = makeOperation("getThing", "get", "/things/{thingId}", {
      parameters: [param("thingId", "path", { type: "string" })]
    })
    expect(generateFlows(makeSpec([create, read]), options).scenarios).toEqual([])
  })

  it("limits flows per first operation", () => {
    const limited = generateFlows(petSpec, { ...options, maxScenariosPerOperation: 2 })
    expect(limited.scenarios.map((item) => item.provenance.rule)).toEqual([
      "flow.create-read",
      "flow.create-update-read"
    ])
    expect(limited.notes.some((note) => /kept 2 of 6 flows/.test(note.message))).toBe(true)
  })

  it.effect("runs as a ScenarioGenerator", () =>
    Effect.gen(function* () {
      const result = yield* SchemaGenerator.flows(petSpec, options)
      expect(result.scenarios.map((item) => item.id)).toEqual(scenarios.map((item) => item.id))
    })
  )
})
