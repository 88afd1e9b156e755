import { describe, expect, it } from "@effect/vitest"
import { generateFlows, generateForOperation } from "../../src/generate/index.js"
import type { JsonSchema, Operation } from "../../src/spec/model.js"
import { jsonBody, jsonResponse, makeOperation, makeSpec, param } from "./fixtures.js"

/** 50 resources with their own component schema, each with create, list, read and delete: 200 operations. */
const buildSpec = () => {
  const definitions: Record<string, JsonSchema> = {}
  const operations: Array<Operation> = []
  for (let index = 0; index < 50; index++) {
    const name = `Thing${index}`
    const ref = { $ref: `#/$defs/${name}` }
    definitions[name] = {
      type: "object",
      required: ["name", "size"],
      properties: {
        id: { type: "string", format: "uuid" },
        name: { type: "string", minLength: 1, maxLength: 10 + index },
        size: { type: "integer", minimum: index, maximum: 1000 },
        code: { type: "string", pattern: `^[A-Z]{${1 + (index % 5)}}$` },
        created: { type: "string", format: "date-time" },
        labels: { type: "array", items: { type: "string" }, maxItems: 5 },
        parent: ref
      }
    }
    const itemId = param("itemId", "path", { type: "string", format: "uuid" })
    operations.push(
      makeOperation(`create${name}`, "post", `/things${index}`, {
        requestBody: jsonBody(ref),
        responses: [jsonResponse("201", ref)]
      }),
      makeOperation(`list${name}`, "get", `/things${index}`, {
        parameters: [
          param("limit", "query", { type: "integer", minimum: 1, maximum: 50 }),
          param("q", "query", { type: "string" })
        ]
      }),
      makeOperation(`get${name}`, "get", `/things${index}/{itemId}`, { parameters: [itemId] }),
      makeOperation(`delete${name}`, "delete", `/things${index}/{itemId}`, { parameters: [itemId] })
    )
  }
  return makeSpec(operations, definitions)
}

describe("generator performance", () => {
  it("generates for 200 operations quickly", () => {
    const spec = buildSpec()
    const started = performance.now()
    let count = 0
    for (const operation of spec.operations) {
      count += generateForOperation(spec, operation, { seed: 1, maxScenariosPerOperation: 20 }).scenarios
        .length
    }
    count += generateFlows(spec, { seed: 1, maxScenariosPerOperation: 20 }).scenarios.length
    const elapsed = performance.now() - started
    expect(count).toBeGreaterThan(1000)
    expect(elapsed).toBeLessThan(10_000)
  })
})
