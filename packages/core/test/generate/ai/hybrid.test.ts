import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { LanguageModel, LanguageModelError } from "../../../src/ai/LanguageModel.js"
import { combineGenerators, equivalenceKey, makeAiGenerator } from "../../../src/generate/ai/index.js"
import type { ScenarioGenerator } from "../../../src/generate/Generator.js"
import { SchemaGenerator } from "../../../src/generate/schema/SchemaGenerator.js"
import { RateLimiter } from "../../../src/ports/RateLimiter.js"
import { ScenarioCache } from "../../../src/ports/ScenarioCache.js"
import { emptyRequest, type Scenario } from "../../../src/scenario/Scenario.js"
import { answerScenario, completion, generateOptions, listPets, spec } from "./fixture.js"

const schemaScenario = (id: string, intent: Scenario["provenance"]["intent"], limit: number): Scenario => ({
  id,
  operationIds: ["listPets"],
  provenance: { generator: "schema", rule: "positive.example", intent },
  steps: [
    {
      id: `${id}-1`,
      operationId: "listPets",
      request: { ...emptyRequest(), query: { limit } },
      expect: intent === "invalid" ? "4xx" : "2xx",
      extract: [],
      bind: [],
      assertions: []
    }
  ]
})

/** A fixed schema generator: the hybrid only needs its output. */
const schemaGenerator: ScenarioGenerator = {
  name: "schema",
  forOperation: () =>
    Effect.succeed({
      scenarios: [schemaScenario("schema-1", "boundary", 3), schemaScenario("schema-2", "invalid", 0)],
      notes: [{ operationId: "listPets", message: "schema note" }]
    }),
  flows: () => Effect.succeed({ scenarios: [], notes: [] })
}

const limitQuery = (value: string) => ({
  pathParams: [],
  query: [{ name: "limit", value }],
  headers: [],
  body: null
})

describe("combineGenerators", () => {
  it.effect("drops AI scenarios equivalent to schema ones", () =>
    Effect.gen(function* () {
      const ai = yield* makeAiGenerator({ model: "test-model" })
      const hybrid = combineGenerators(schemaGenerator, ai)
      const result = yield* hybrid.forOperation(spec, listPets, generateOptions)
      // valid with limit 3 matches the boundary scenario (same class `accept`); valid with limit 4 is new;
      // invalid with limit 101, above the maximum, differs from the schema's invalid limit 0.
      expect(
        result.scenarios.map((scenario) =>
          scenario.id.startsWith("ai-") ? `ai:${scenario.provenance.intent}` : scenario.id
        )
      ).toEqual(["schema-1", "schema-2", "ai:valid", "ai:invalid"])
      expect(result.notes.map((note) => note.message)).toEqual([
        "schema note",
        "1 AI scenario(s) dropped as equivalent to schema scenarios"
      ])
    }).pipe(
      Effect.provide(
        Layer.mergeAll(
          LanguageModel.layerScripted(() =>
            Effect.succeed(
              completion({
                scenarios: [
                  answerScenario({ operationId: "listPets", request: limitQuery("3") }),
                  answerScenario({ operationId: "listPets", request: limitQuery("4") }),
                  answerScenario({
                    operationId: "listPets",
                    intent: "invalid",
                    expect: "4xx",
                    request: limitQuery("101")
                  })
                ]
              })
            )
          ),
          RateLimiter.layerMemory,
          ScenarioCache.layerMemory()
        )
      )
    )
  )

  it("ignores ids, descriptions and assertions in equivalence", () => {
    const base = schemaScenario("a", "valid", 1)
    const other: Scenario = {
      ...schemaScenario("b", "flow", 1),
      provenance: { generator: "ai", rule: "ai.valid", intent: "valid", description: "other words" }
    }
    expect(equivalenceKey(other)).toBe(equivalenceKey(base))
    expect(equivalenceKey(schemaScenario("c", "valid", 2))).not.toBe(equivalenceKey(base))
  })

  it.effect("keeps schema scenarios when the model fails", () =>
    Effect.gen(function* () {
      const ai = yield* makeAiGenerator({ model: "test-model" })
      const hybrid = combineGenerators(SchemaGenerator, ai)
      const alone = yield* SchemaGenerator.forOperation(spec, listPets, generateOptions)
      const combined = yield* hybrid.forOperation(spec, listPets, generateOptions)
      expect(alone.scenarios.length).toBeGreaterThan(0)
      expect(combined.scenarios).toEqual(alone.scenarios)
      expect(combined.notes.some((note) => note.message.includes("fell back to schema scenarios"))).toBe(true)
      const flows = yield* hybrid.flows(spec, generateOptions)
      const schemaFlows = yield* SchemaGenerator.flows(spec, generateOptions)
      expect(flows.scenarios).toEqual(schemaFlows.scenarios)
    }).pipe(
      Effect.provide(
        Layer.mergeAll(
          LanguageModel.layerScripted(() =>
            Effect.fail(
              new LanguageModelError({ reason: "Unauthorized", message: "scripted 401", status: 401 })
            )
          ),
          RateLimiter.layerMemory,
          ScenarioCache.layerMemory()
        )
      )
    )
  )
})
