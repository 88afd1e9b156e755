import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { LanguageModel, LanguageModelError } from "../../../src/ai/LanguageModel.js"
import {
  type AnswerFlow,
  acceptFlows,
  buildFlowPrompt,
  makeAiGenerator,
  resourceGroups
} from "../../../src/generate/ai/index.js"
import { RateLimiter } from "../../../src/ports/RateLimiter.js"
import { ScenarioCache } from "../../../src/ports/ScenarioCache.js"
import { completion, createPet, generateOptions, scriptedModel, spec } from "./fixture.js"

type FlowStep = AnswerFlow["steps"][number]

const noRequest = { pathParams: [], query: [], headers: [], body: null }

const step = (fields: Partial<FlowStep> & Pick<FlowStep, "operationId">): FlowStep => ({
  request: noRequest,
  expect: "2xx",
  extract: [],
  bind: [],
  assertions: [],
  ...fields
})

const create = step({
  operationId: "createPet",
  request: { ...noRequest, body: JSON.stringify({ name: "Rex" }) },
  extract: [{ variable: "petId", from: "body", path: "/id" }]
})

const boundToPet = [{ variable: "petId", location: "path" as const, target: "petId" }]

const lifecycle: AnswerFlow = {
  description: "Creates, reads and deletes a pet",
  specText: "Names are unique within a store.",
  steps: [
    create,
    step({
      operationId: "getPet",
      bind: boundToPet,
      assertions: [{ rule: "Same name", expression: '$.body.name == "Rex"' }]
    }),
    step({ operationId: "deletePet", bind: boundToPet }),
    step({ operationId: "getPet", bind: boundToPet, expect: "not_found" })
  ]
}

const origin = { model: "test-model", promptVersion: "ai-scenarios/1", promptHash: "abc" }

const group = resourceGroups(spec)[0]

const services = (answer: Parameters<typeof LanguageModel.layerScripted>[0]) =>
  Layer.mergeAll(LanguageModel.layerScripted(answer), RateLimiter.layerMemory, ScenarioCache.layerMemory())

describe("resourceGroups", () => {
  it("pairs producers with item operations", () => {
    const groups = resourceGroups(spec)
    expect(groups.length).toBe(1)
    expect(groups[0]?.resource).toBe("/pets")
    expect(groups[0]?.producers.map((operation) => operation.id)).toEqual(["createPet"])
    expect(groups[0]?.consumers.map((operation) => operation.id)).toEqual(["getPet", "deletePet"])
  })
})

describe("buildFlowPrompt", () => {
  it("lists the resource's operations only", () => {
    if (group === undefined) throw new Error("fixture has no resource group")
    const user =
      buildFlowPrompt(spec, group, { scenariosPerCall: 3, schemaDepth: 3 }).messages[1]?.content ?? ""
    expect(user).toContain("Write 3 flows")
    expect(user).toContain("operationId: createPet")
    expect(user).toContain("operationId: deletePet")
    expect(user).not.toContain("listPets")
    expect(user).not.toContain("/trees")
  })
})

describe("acceptFlows", () => {
  it("builds steps with extractions and bindings", () => {
    if (group === undefined) throw new Error("fixture has no resource group")

    const result = acceptFlows(spec, group, { flows: [lifecycle] }, origin, 10)
    const scenario = result.scenarios[0]
    expect(result.counts.scenariosAccepted).toBe(1)
    expect(scenario?.operationIds).toEqual(["createPet", "getPet", "deletePet"])
    expect(scenario?.provenance).toMatchObject({
      generator: "ai",
      rule: "ai.flow",
      intent: "flow",
      source: "/pets"
    })
    expect(scenario?.steps.map((item) => item.expect)).toEqual(["2xx", "2xx", "2xx", "not_found"])
    expect(scenario?.steps[0]?.extract).toEqual([{ variable: "petId", from: "body", path: "/id" }])
    expect(scenario?.steps[1]?.bind).toEqual(boundToPet)
    expect(scenario?.steps[1]?.afterDelete).toBeUndefined()
    expect(scenario?.steps[3]?.afterDelete).toBe(true)
    expect(scenario?.steps[1]?.assertions.length).toBe(1)
  })

  it("drops broken flows and counts them", () => {
    if (group === undefined) throw new Error("fixture has no resource group")

    const unbound: AnswerFlow = {
      ...lifecycle,
      steps: [step({ operationId: "getPet", bind: boundToPet }), create]
    }
    const unknown: AnswerFlow = { ...lifecycle, steps: [create, step({ operationId: "listPets" })] }
    const short: AnswerFlow = { ...lifecycle, steps: [create] }
    const badBody: AnswerFlow = {
      ...lifecycle,
      steps: [
        { ...create, request: { ...noRequest, body: JSON.stringify({ name: "" }) } },
        lifecycle.steps[1] as FlowStep
      ]
    }
    const wrongTarget: AnswerFlow = {
      ...lifecycle,
      steps: [
        create,
        step({ operationId: "getPet", bind: [{ variable: "petId", location: "path", target: "id" }] })
      ]
    }

    const result = acceptFlows(
      spec,
      group,
      { flows: [unbound, unknown, short, badBody, wrongTarget] },
      origin,
      10
    )
    expect(result.scenarios).toEqual([])
    expect(result.counts.scenariosReceived).toBe(5)
    expect(result.counts.invalidFlows).toBe(2)
    expect(result.counts.unknownOperations).toBe(1)
    expect(result.counts.invalidValidScenarios).toBe(1)
    expect(result.counts.unknownParameters).toBe(1)
    expect(result.counts.missingPathParameters).toBe(1)
    expect(result.notes.length).toBe(5)
  })
})

describe("AI flows", () => {
  it.effect("generates and caches flows", () => {
    const model = scriptedModel([() => Effect.succeed(completion({ flows: [lifecycle] }))])
    return Effect.gen(function* () {
      const generator = yield* makeAiGenerator({ model: "test-model" })
      const first = yield* generator.flows(spec, generateOptions)
      const second = yield* generator.flows(spec, generateOptions)
      expect(first.scenarios.length).toBe(1)
      expect(second.scenarios).toEqual(first.scenarios)
      expect(model.requests.length).toBe(1)
      expect(model.requests[0]?.schema.name).toBe("qawave_flows")
      expect(yield* generator.usage()).toMatchObject({ calls: 1, cacheHits: 1, fallbacks: 0 })
    }).pipe(Effect.provide(services(model.answer)))
  })

  it.effect("falls back when the model fails", () =>
    Effect.gen(function* () {
      const generator = yield* makeAiGenerator({ model: "test-model" })
      const result = yield* generator.flows(spec, generateOptions)
      expect(result.scenarios).toEqual([])
      expect(result.notes[0]?.operationId).toBe(createPet.id)
      expect(result.notes[0]?.message).toContain("flows of /pets fell back to schema scenarios")
      expect((yield* generator.usage()).fallbacks).toBe(1)
    }).pipe(
      Effect.provide(
        services(() =>
          Effect.fail(
            new LanguageModelError({ reason: "Rejected", message: "scripted rejection", status: 400 })
          )
        )
      )
    )
  )
})
