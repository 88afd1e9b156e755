import { describe, expect, it } from "@effect/vitest"
import { acceptAnswer } from "../../../src/generate/ai/index.js"
import { answerScenario, createPet, getPet, listPets, spec } from "./fixture.js"

const origin = { model: "test-model", promptVersion: "ai-scenarios/1", promptHash: "abc" }

describe("acceptAnswer", () => {
  it("records provenance of accepted scenarios", () => {
    const result = acceptAnswer(
      spec,
      listPets,
      {
        scenarios: [
          answerScenario({
            operationId: "listPets",
            request: { pathParams: [], query: [{ name: "limit", value: "10" }], headers: [], body: null }
          })
        ]
      },
      origin,
      10
    )
    const scenario = result.scenarios[0]
    expect(result.counts.scenariosAccepted).toBe(1)
    expect(scenario?.provenance).toEqual({
      generator: "ai",
      rule: "ai.valid",
      intent: "valid",
      source: listPets.pointer,
      description: "Lists pets with a limit",
      model: "test-model",
      promptVersion: "ai-scenarios/1",
      promptHash: "abc",
      specText: "Returns at most `limit` pets, sorted by name."
    })
    expect(scenario?.steps[0]?.request.query).toEqual({ limit: 10 })
    expect(scenario?.steps[0]?.expect).toBe("2xx")
  })

  it("drops unknown parameters and moves misplaced ones", () => {
    const result = acceptAnswer(
      spec,
      listPets,
      {
        scenarios: [
          answerScenario({
            operationId: "listPets",
            request: {
              pathParams: [{ name: "limit", value: "5" }],
              query: [{ name: "color", value: '"red"' }],
              headers: [
                { name: "x-request-id", value: "abc" },
                { name: "X-Unknown", value: "1" }
              ],
              body: null
            }
          })
        ]
      },
      origin,
      10
    )
    expect(result.counts.unknownParameters).toBe(2)
    expect(result.counts.movedParameters).toBe(1)
    expect(result.scenarios[0]?.steps[0]?.request.query).toEqual({ limit: 5 })
    expect(result.scenarios[0]?.steps[0]?.request.headers).toEqual({ "X-Request-Id": "abc" })
  })

  it("keeps numeric text for string parameters", () => {
    const result = acceptAnswer(
      spec,
      listPets,
      {
        scenarios: [
          answerScenario({
            operationId: "listPets",
            request: {
              pathParams: [],
              query: [],
              headers: [{ name: "X-Request-Id", value: "5" }],
              body: null
            }
          })
        ]
      },
      origin,
      10
    )
    expect(result.scenarios[0]?.steps[0]?.request.headers).toEqual({ "X-Request-Id": "5" })
  })

  it("drops unknown body fields and unexpected bodies", () => {
    const result = acceptAnswer(
      spec,
      createPet,
      {
        scenarios: [
          answerScenario({
            operationId: "createPet",
            request: {
              pathParams: [],
              query: [],
              headers: [],
              body: JSON.stringify({ name: "Rex", colour: "brown", age: 3 })
            }
          })
        ]
      },
      origin,
      10
    )
    expect(result.counts.unknownBodyFields).toBe(2)
    expect(result.scenarios[0]?.steps[0]?.request.body).toEqual({
      mediaType: "application/json",
      value: { name: "Rex" }
    })

    const withBody = acceptAnswer(
      spec,
      listPets,
      {
        scenarios: [
          answerScenario({
            operationId: "listPets",
            request: { pathParams: [], query: [], headers: [], body: "{}" }
          })
        ]
      },
      origin,
      10
    )
    expect(withBody.counts.unexpectedBodies).toBe(1)
    expect(withBody.scenarios[0]?.steps[0]?.request.body).toBeUndefined()
  })

  it("keeps an extra field of an invalid scenario", () => {
    const result = acceptAnswer(
      spec,
      createPet,
      {
        scenarios: [
          answerScenario({
            operationId: "createPet",
            intent: "invalid",
            expect: "4xx",
            request: {
              pathParams: [],
              query: [],
              headers: [],
              body: JSON.stringify({ name: "Rex", colour: "brown" })
            }
          })
        ]
      },
      origin,
      10
    )
    expect(result.counts.unknownBodyFields).toBe(0)
    expect(result.scenarios[0]?.steps[0]?.request.body?.value).toEqual({ name: "Rex", colour: "brown" })
  })

  it("turns a business rule's 4xx into an assertion", () => {
    const rule = answerScenario({
      operationId: "listPets",
      intent: "business_rule",
      expect: "4xx",
      description: "Listing needs a filter",
      request: { pathParams: [], query: [{ name: "limit", value: "10" }], headers: [], body: null }
    })
    const result = acceptAnswer(spec, listPets, { scenarios: [rule] }, origin, 10)
    const step = result.scenarios[0]?.steps[0]
    expect(step?.expect).toBe("any")
    expect(step?.assertions.at(-1)?.expression).toBe("$.status >= 400 && $.status < 500")
    expect(step?.assertions.at(-1)?.rule).toBe("Listing needs a filter (a 4xx status is expected)")
    expect(result.counts.repairedExpectations).toBe(1)
  })

  it("drops invalid scenarios that break nothing", () => {
    const inRange = answerScenario({
      operationId: "listPets",
      intent: "invalid",
      expect: "4xx",
      request: { pathParams: [], query: [{ name: "limit", value: "10" }], headers: [], body: null }
    })
    const aboveMaximum = answerScenario({
      operationId: "listPets",
      intent: "invalid",
      expect: "4xx",
      request: { pathParams: [], query: [{ name: "limit", value: "101" }], headers: [], body: null }
    })
    const result = acceptAnswer(spec, listPets, { scenarios: [inRange, aboveMaximum] }, origin, 10)
    expect(result.counts.validInvalidScenarios).toBe(1)
    expect(result.scenarios).toHaveLength(1)
    expect(result.scenarios[0]?.steps[0]?.request.query).toEqual({ limit: 101 })
    expect(result.notes[0]).toContain("an invalid scenario breaks no constraint of the spec")
  })

  it("drops valid scenarios that break their schemas", () => {
    const outOfRange = answerScenario({
      operationId: "listPets",
      request: { pathParams: [], query: [{ name: "limit", value: "1000" }], headers: [], body: null }
    })
    const missingBody = answerScenario({ operationId: "createPet" })
    const badName = answerScenario({
      operationId: "createPet",
      request: { pathParams: [], query: [], headers: [], body: JSON.stringify({ name: "" }) }
    })
    expect(
      acceptAnswer(spec, listPets, { scenarios: [outOfRange] }, origin, 10).counts.invalidValidScenarios
    ).toBe(1)
    const created = acceptAnswer(spec, createPet, { scenarios: [missingBody, badName] }, origin, 10)
    expect(created.counts.invalidValidScenarios).toBe(2)
    expect(created.scenarios).toEqual([])
    expect(created.notes[0]).toContain("the request body is required")
    expect(created.notes[1]).toContain("/name")

    const invalid = acceptAnswer(
      spec,
      listPets,
      { scenarios: [{ ...outOfRange, intent: "invalid", expect: "4xx" }] },
      origin,
      10
    )
    expect(invalid.counts.scenariosAccepted).toBe(1)
  })

  it("drops scenarios for other operations or without path values", () => {
    const result = acceptAnswer(
      spec,
      getPet,
      {
        scenarios: [
          answerScenario({
            operationId: "deletePet",
            request: { pathParams: [{ name: "petId", value: "1" }], query: [], headers: [], body: null }
          }),
          answerScenario({ operationId: "getPet" }),
          answerScenario({
            operationId: "getPet",
            request: { pathParams: [{ name: "petId", value: "1" }], query: [], headers: [], body: null }
          })
        ]
      },
      origin,
      10
    )
    expect(result.counts.scenariosReceived).toBe(3)
    expect(result.counts.unknownOperations).toBe(1)
    expect(result.counts.missingPathParameters).toBe(1)
    expect(result.scenarios.map((scenario) => scenario.steps[0]?.request.pathParams)).toEqual([{ petId: 1 }])
  })

  it("drops assertions that do not parse", () => {
    const result = acceptAnswer(
      spec,
      listPets,
      {
        scenarios: [
          answerScenario({
            operationId: "listPets",
            intent: "business_rule",
            assertions: [
              { rule: "At most limit pets", expression: "len($.body) <= 10" },
              { rule: "Sorted", expression: "$.body is sorted" },
              { rule: "Code", expression: "process.exit(1)" }
            ]
          })
        ]
      },
      origin,
      10
    )
    expect(result.counts.invalidAssertions).toBe(2)
    expect(result.scenarios[0]?.steps[0]?.assertions).toEqual([
      {
        rule: "At most limit pets",
        expression: "len($.body) <= 10",
        specText: "Returns at most `limit` pets, sorted by name."
      }
    ])
  })

  it("repairs expectations and removes duplicates", () => {
    const wrongExpect = answerScenario({ operationId: "listPets", intent: "valid", expect: "4xx" })
    const result = acceptAnswer(spec, listPets, { scenarios: [wrongExpect, wrongExpect] }, origin, 10)
    expect(result.counts.repairedExpectations).toBe(1)
    expect(result.counts.duplicateScenarios).toBe(1)
    expect(result.scenarios[0]?.steps[0]?.expect).toBe("2xx")
  })

  it("accepts at most the limit", () => {
    const scenarios = [1, 2, 3].map((limit) =>
      answerScenario({
        operationId: "listPets",
        request: { pathParams: [], query: [{ name: "limit", value: String(limit) }], headers: [], body: null }
      })
    )
    expect(acceptAnswer(spec, listPets, { scenarios }, origin, 2).scenarios.length).toBe(2)
  })
})
