import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { generateForOperation, SchemaGenerator } from "../../src/generate/index.js"
import type { Scenario } from "../../src/scenario/Scenario.js"
import type { Operation } from "../../src/spec/model.js"
import { jsonBody, makeOperation, makeSpec, param, requestProblems } from "./fixtures.js"
import { operationById, petOperations, petSpec } from "./petstore.js"

const options = { seed: 42, maxScenariosPerOperation: 1000 }

const generate = (operation: Operation, overrides: Partial<typeof options> = {}) =>
  generateForOperation(petSpec, operation, { ...options, ...overrides })

const only = (scenario: Scenario) => {
  const step = scenario.steps[0]
  if (step === undefined || scenario.steps.length !== 1)
    throw new Error(`${scenario.id} has ${scenario.steps.length} steps`)
  return step
}

/** Length of a string property of a one-step scenario's body. */
const lengthAt = (scenario: Scenario, name: string): number => {
  const value = only(scenario).request.body?.value as Record<string, string>
  return value[name]?.length ?? -1
}

const rulesOf = (scenarios: ReadonlyArray<Scenario>): Set<string> =>
  new Set(scenarios.map((item) => item.provenance.rule))

describe("generateForOperation", () => {
  it("is deterministic for a seed", () => {
    for (const operation of petOperations) {
      expect(JSON.stringify(generate(operation))).toBe(JSON.stringify(generate(operation)))
    }
  })

  it("changes values with the seed", () => {
    const first = JSON.stringify(generate(operationById("createPet")).scenarios)
    const second = JSON.stringify(generate(operationById("createPet"), { seed: 43 }).scenarios)
    expect(first).not.toBe(second)
  })

  it("positive and boundary values validate", () => {
    for (const operation of petOperations) {
      for (const scenario of generate(operation).scenarios) {
        if (scenario.provenance.intent !== "valid" && scenario.provenance.intent !== "boundary") continue
        const step = only(scenario)
        expect(step.expect).toBe("2xx")
        expect(requestProblems(petSpec, operation, step.request), scenario.id).toEqual([])
      }
    }
  })

  it("negative values fail validation", () => {
    let count = 0
    for (const operation of petOperations) {
      for (const scenario of generate(operation).scenarios) {
        if (scenario.provenance.intent !== "invalid") continue
        count++
        const step = only(scenario)
        expect(step.expect).toBe("4xx")
        expect(requestProblems(petSpec, operation, step.request).length, scenario.id).toBeGreaterThan(0)
      }
    }
    expect(count).toBeGreaterThan(40)
  })

  it("covers every negative rule", () => {
    const rules = new Set(petOperations.flatMap((operation) => [...rulesOf(generate(operation).scenarios)]))
    for (const rule of [
      "negative.missing-required",
      "negative.wrong-type",
      "negative.out-of-range",
      "negative.too-long",
      "negative.too-short",
      "negative.pattern",
      "negative.enum",
      "negative.additional-property",
      "negative.format"
    ]) {
      expect(rules.has(rule), rule).toBe(true)
    }
  })

  it("names the source of each negative", () => {
    const sources = generate(operationById("listPets")).scenarios.map(
      (item) => `${item.provenance.rule} ${item.provenance.source}`
    )
    expect(sources).toContain("negative.missing-required query.status")
    expect(sources).toContain("negative.missing-required header.X-Request-Id")
    expect(sources).toContain("negative.out-of-range query.limit")
    expect(sources).toContain("negative.too-short cookie.session")
    const body = generate(operationById("createPet")).scenarios.map(
      (item) => `${item.provenance.rule} ${item.provenance.source}`
    )
    expect(body).toContain("negative.missing-required body#/name")
    expect(body).toContain("negative.additional-property body#/unexpectedProperty")
    expect(body).toContain("negative.format body#/owner/email")
  })

  it("puts no object into a header or path", () => {
    for (const operation of petOperations) {
      for (const scenario of generate(operation).scenarios) {
        if (scenario.provenance.intent !== "invalid") continue
        const { headers, pathParams, cookies } = only(scenario).request
        const changed = Object.entries({ ...headers, ...pathParams, ...cookies }).filter(([name]) =>
          scenario.provenance.source?.endsWith(`.${name}`)
        )
        for (const [, value] of changed) expect(typeof value === "object").toBe(false)
      }
    }
  })

  it("keeps path negatives on their route", () => {
    const color = generate(operationById("getColor")).scenarios
    expect(color.filter((item) => item.provenance.intent === "invalid")).toEqual([])
    const alone = makeSpec([operationById("getColor")])
    const rules = rulesOf(generateForOperation(alone, operationById("getColor"), options).scenarios)
    expect(rules.has("negative.enum")).toBe(true)
  })

  it("makes no wrong type for text parameters", () => {
    const scenarios = generate(operationById("listPets")).scenarios
    const wrong = scenarios
      .filter((item) => item.provenance.rule === "negative.wrong-type")
      .map((item) => item.provenance.source)
    expect(wrong).not.toContain("cookie.session")
    expect(wrong).toContain("query.limit")
  })

  it("uses spec examples first", () => {
    const [first] = generate(operationById("createPet")).scenarios
    expect(first?.provenance.rule).toBe("positive.example")
    expect(first?.steps[0]?.request.body).toEqual({
      mediaType: "application/json",
      value: { name: "Rex", kind: "dog", age: 3 }
    })
    const list = generate(operationById("listPets")).scenarios[0]
    expect(list?.steps[0]?.request.query.status).toBe("sold")
  })

  it("always fills required parameters", () => {
    for (const scenario of generate(operationById("listPets")).scenarios) {
      if (scenario.provenance.intent !== "valid") continue
      const request = only(scenario).request
      expect(request.query.status).toBeDefined()
      expect(request.headers["X-Request-Id"]).toBeDefined()
    }
  })

  it("sends binary bodies as byte strings", () => {
    const [scenario] = generate(operationById("uploadPhoto")).scenarios
    const body = scenario?.steps[0]?.request.body
    expect(body?.mediaType).toBe("application/octet-stream")
    expect(typeof body?.value).toBe("string")
  })

  it("prefers JSON over other media types", () => {
    const operation = makeOperation("upload", "post", "/upload", {
      requestBody: {
        required: true,
        content: [
          { mediaType: "multipart/form-data", schema: { type: "object" }, examples: [], encoding: {} },
          {
            mediaType: "application/x-www-form-urlencoded",
            schema: { type: "object" },
            examples: [],
            encoding: {}
          },
          { mediaType: "application/vnd.api+json", schema: { type: "object" }, examples: [], encoding: {} }
        ]
      }
    })
    const [scenario] = generateForOperation(makeSpec([operation]), operation, options).scenarios
    expect(scenario?.steps[0]?.request.body?.mediaType).toBe("application/vnd.api+json")
  })

  it("makes auth cases for secured operations", () => {
    const auth = generate(operationById("getPet")).scenarios.filter(
      (item) => item.provenance.intent === "auth"
    )
    expect(auth.map((item) => only(item).request.auth)).toEqual(["none", "invalid"])
    expect(auth.every((item) => only(item).expect === "auth")).toBe(true)
    expect(
      generate(operationById("listPets")).scenarios.some((item) => item.provenance.intent === "auth")
    ).toBe(false)
    const optional = makeOperation("optional", "get", "/optional", {
      security: [[{ scheme: "key", scopes: [] }], []]
    })
    expect(
      generateForOperation(petSpec, optional, options).scenarios.some(
        (item) => item.provenance.intent === "auth"
      )
    ).toBe(false)
  })

  it("includes null and empty array boundaries", () => {
    const rules = rulesOf(generate(operationById("updatePet")).scenarios)
    expect(rules.has("boundary.null")).toBe(true)
    expect(rules.has("boundary.empty-array")).toBe(true)
    expect(rules.has("boundary.max-length")).toBe(true)
  })

  it("builds pattern length boundaries", () => {
    const operation = makeOperation("slug", "post", "/slugs", {
      requestBody: jsonBody({
        type: "object",
        required: ["slug", "path"],
        properties: {
          slug: { type: "string", pattern: "^[a-z]+$", minLength: 2, maxLength: 300 },
          path: { type: "string", pattern: "^(/[a-z]+){2,}$", maxLength: 1600 }
        }
      })
    })
    const started = performance.now()
    const scenarios = generateForOperation(makeSpec([operation]), operation, options).scenarios
    expect(performance.now() - started).toBeLessThan(5000)
    const slugs = scenarios
      .filter((item) => item.provenance.source === "body#/slug" && item.provenance.intent === "boundary")
      .map((item) => lengthAt(item, "slug"))
    expect(slugs).toEqual([2, 300])
    const paths = scenarios
      .filter((item) => item.provenance.source === "body#/path" && item.provenance.intent === "boundary")
      .map((item) => lengthAt(item, "path"))
    expect(paths).toEqual([1600])
  })

  it("respects exclusive bounds at boundaries", () => {
    const operation = makeOperation("range", "get", "/range", {
      parameters: [
        param(
          "count",
          "query",
          { type: "integer", exclusiveMinimum: 5, exclusiveMaximum: 10 },
          { required: true }
        ),
        param(
          "ratio",
          "query",
          { type: "number", exclusiveMinimum: 0, maximum: 1, multipleOf: 0.25 },
          { required: true }
        )
      ]
    })
    const scenarios = generateForOperation(makeSpec([operation]), operation, options).scenarios
    const counts = scenarios.filter(
      (item) => item.provenance.source === "query.count" && item.provenance.intent === "boundary"
    )
    expect(counts.map((item) => only(item).request.query.count)).toEqual([6, 9])
    const ratios = scenarios.filter(
      (item) => item.provenance.source === "query.ratio" && item.provenance.intent === "boundary"
    )
    expect(ratios.map((item) => only(item).request.query.ratio)).toEqual([0.25, 1])
  })

  it("includes optional parameters sometimes", () => {
    const included = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
      const scenarios = generate(operationById("listPets"), { seed }).scenarios
      const generated = scenarios.find((item) => item.provenance.rule === "positive.generated")
      return generated?.steps[0]?.request.query.limit !== undefined
    })
    expect(included).toContain(true)
    expect(included).toContain(false)
  })

  it("keeps a free-form string's example", () => {
    const operation = makeOperation("listOrders", "get", "/orders", {
      parameters: [
        param("cursor", "query", { type: "string", maxLength: 40 }, { examples: ["c2VlZA"] }),
        param("limit", "query", { type: "integer", minimum: 1, maximum: 100 }, { examples: [10] })
      ]
    })
    const valid = generateForOperation(makeSpec([operation]), operation, options).scenarios.filter(
      (scenario) => scenario.provenance.intent === "valid" || scenario.provenance.intent === "boundary"
    )
    const sent = (name: string) =>
      valid.map((scenario) => only(scenario).request.query[name]).filter((value) => value !== undefined)
    // A cursor the API did not issue is refused however well it fits the schema; a limit is not.
    expect(new Set(sent("cursor"))).toEqual(new Set(["c2VlZA"]))
    expect(new Set(sent("limit")).size).toBeGreaterThan(2)
  })

  it("generates multipart binary parts", () => {
    const operation = makeOperation("upload", "post", "/files", {
      requestBody: {
        required: true,
        content: [
          {
            mediaType: "multipart/form-data",
            schema: {
              type: "object",
              required: ["file", "title"],
              properties: {
                file: { type: "string", format: "binary" },
                title: { type: "string", maxLength: 5 }
              }
            },
            examples: [],
            encoding: {}
          }
        ]
      }
    })
    const scenarios = generateForOperation(makeSpec([operation]), operation, options).scenarios
    const body = scenarios[0]?.steps[0]?.request.body
    expect(body?.mediaType).toBe("multipart/form-data")
    const value = body?.value as Record<string, string>
    expect(typeof value.file).toBe("string")
    expect(typeof value.title).toBe("string")
    const rules = rulesOf(scenarios)
    expect(rules.has("negative.too-long")).toBe(true)
    expect(rules.has("negative.missing-required")).toBe(true)
    expect(rules.has("negative.wrong-type")).toBe(false)
  })

  it("tries every value of a short enum", () => {
    const operation = makeOperation("listThemes", "get", "/themes", {
      parameters: [
        param("theme", "header", { type: "string", enum: ["light", "dark", "system"] }, { required: true })
      ]
    })
    const scenarios = generateForOperation(makeSpec([operation]), operation, options).scenarios
    const themes = new Set(scenarios.map((scenario) => only(scenario).request.headers.theme))

    expect(themes).toContain("light")
    expect(themes).toContain("dark")
    expect(themes).toContain("system")
    expect(rulesOf(scenarios).has("boundary.enum-value")).toBe(true)
  })

  it("sends form array fields as the wire reads them", () => {
    for (const mediaType of ["multipart/form-data", "application/x-www-form-urlencoded"]) {
      const operation = makeOperation("tagItem", "post", "/items", {
        requestBody: {
          required: true,
          content: [
            {
              mediaType,
              schema: {
                type: "object",
                required: ["tags"],
                properties: { tags: { type: "array", items: { type: "string" }, maxItems: 3 } }
              },
              examples: [],
              encoding: {}
            }
          ]
        }
      })
      const scenarios = generateForOperation(makeSpec([operation]), operation, options).scenarios
      const tags = scenarios.map(
        (scenario) => (only(scenario).request.body?.value as { tags?: unknown } | undefined)?.tags
      )
      // One text field is an array of one item on the wire, and an empty array sends no field.
      expect(tags.filter((value) => typeof value === "string")).toEqual([])
      expect(tags.filter((value) => Array.isArray(value) && value.length === 0)).toEqual([])
      expect(rulesOf(scenarios).has("boundary.max-items")).toBe(true)
    }
  })

  it("skips an unsatisfiable body with a note", () => {
    const result = generate(operationById("impossible"))
    expect(result.scenarios).toEqual([])
    expect(result.notes.some((note) => /no integer lies between 5 and 1/.test(note.message))).toBe(true)
  })

  it("skips unusable operations with a note", () => {
    const result = generate(operationById("broken"))
    expect(result.scenarios).toEqual([])
    expect(result.notes[0]?.message).toMatch(/not usable: dangling \$ref/)
  })

  it("respects maxScenariosPerOperation with a mix", () => {
    const scenarios = generate(operationById("createPet"), { maxScenariosPerOperation: 6 }).scenarios
    expect(scenarios).toHaveLength(6)
    expect(scenarios.map((item) => item.provenance.intent)).toEqual([
      "valid",
      "valid",
      "invalid",
      "boundary",
      "auth",
      "invalid"
    ])
    const negatives = generate(operationById("createPet"), { maxScenariosPerOperation: 12 }).scenarios.filter(
      (item) => item.provenance.intent === "invalid"
    )
    expect(new Set(negatives.map((item) => item.provenance.rule)).size).toBe(negatives.length)
    expect(
      generate(operationById("createPet"), { maxScenariosPerOperation: 1 }).scenarios.map(
        (item) => item.provenance.intent
      )
    ).toEqual(["valid"])
  })

  it("ids are unique and stable", () => {
    const ids = generate(operationById("createPet")).scenarios.map((item) => item.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids[0]).toBe("createPet:positive.example:1")
    const limited = generate(operationById("createPet"), { maxScenariosPerOperation: 5 }).scenarios.map(
      (item) => item.id
    )
    expect(limited.every((id) => ids.includes(id))).toBe(true)
  })

  it("drops wrong types a schema allows", () => {
    const operation = makeOperation("anything", "post", "/anything", {
      requestBody: jsonBody({ type: "object", required: ["value"], properties: { value: {} } })
    })
    const scenarios = generateForOperation(makeSpec([operation]), operation, options).scenarios
    const sources = scenarios
      .filter((item) => item.provenance.rule === "negative.wrong-type")
      .map((item) => item.provenance.source)
    expect(sources).toEqual(["body#"])
  })

  it.effect("runs as a ScenarioGenerator", () =>
    Effect.gen(function* () {
      const result = yield* SchemaGenerator.forOperation(petSpec, operationById("getPet"), options)
      expect(result).toEqual(generate(operationById("getPet")))
      expect(SchemaGenerator.name).toBe("schema")
    })
  )

  it("covers array query parameters", () => {
    const operation = makeOperation("search", "get", "/search", {
      parameters: [
        param(
          "ids",
          "query",
          { type: "array", items: { type: "integer" }, minItems: 1, maxItems: 2 },
          { required: true }
        )
      ]
    })
    const scenarios = generateForOperation(makeSpec([operation]), operation, options).scenarios
    const rules = rulesOf(scenarios)
    expect(rules.has("negative.too-long")).toBe(true)
    expect(rules.has("boundary.max-items")).toBe(true)
  })
})
