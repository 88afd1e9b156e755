/** The schema and header checks on a spec loaded by `loadSpec`, so definition keys are the normalizer's own. */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { responseHeadersConformance } from "../../src/check/responseHeaders.js"
import { responseSchemaConformance } from "../../src/check/responseSchema.js"
import { toStandalone } from "../../src/check/schema.js"
import { loadSpec, SpecCache } from "../../src/spec/index.js"
import { makeExchange, makeInput, signatureOf } from "./fixtures.js"

const document = {
  openapi: "3.1.0",
  info: { title: "Items", version: "1.0.0" },
  paths: {
    "/items/{id}": {
      get: {
        operationId: "getItem",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
        responses: {
          "200": {
            description: "the item",
            headers: { "X-Version": { required: true, schema: { $ref: "#/components/schemas/Version" } } },
            content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } }
          }
        }
      }
    }
  },
  components: {
    schemas: {
      Version: { type: "integer", minimum: 1 },
      Item: {
        type: "object",
        required: ["id", "owner"],
        properties: { id: { type: "integer" }, owner: { $ref: "#/components/schemas/Owner" } }
      },
      Owner: { type: "object", required: ["name"], properties: { name: { type: "string" } } }
    }
  }
}

const load = loadSpec({ document }).pipe(
  Effect.provide(SpecCache.layerMemory({ capacity: 2, ttl: "1 minute" }))
)

describe("checks on a loaded spec", () => {
  it.effect("validates through nested references", () =>
    Effect.gen(function* () {
      const spec = yield* load
      const operation = spec.operations.find((candidate) => candidate.id === "getItem")
      expect(operation).toBeDefined()
      if (operation === undefined) return
      const judge = (body: unknown) =>
        responseSchemaConformance.judge(
          makeInput({
            spec,
            operation,
            exchange: makeExchange({ body, headers: { "content-type": "application/json" } })
          })
        )

      expect(judge({ id: 1, owner: { name: "ada" } }).status).toBe("passed")
      expect(signatureOf(judge({ id: 1, owner: { name: 7 } }))).toBe("/owner/name: type")
      expect(signatureOf(judge({ id: 1 }))).toBe("(root): required")
    })
  )

  it.effect("memoizes the standalone schema", () =>
    Effect.gen(function* () {
      const spec = yield* load
      const schema = spec.operations[0]?.responses[0]?.content[0]?.schema
      expect(schema).toBeDefined()
      if (schema === undefined) return
      expect(toStandalone(spec, schema)).toBe(toStandalone(spec, schema))
    })
  )

  it.effect("validates a referenced header schema", () =>
    Effect.gen(function* () {
      const spec = yield* load
      const operation = spec.operations[0]
      if (operation === undefined) return
      const judge = (headers: Record<string, string>) =>
        responseHeadersConformance.judge(makeInput({ spec, operation, exchange: makeExchange({ headers }) }))

      expect(judge({ "x-version": "2" }).status).toBe("passed")
      expect(signatureOf(judge({ "x-version": "0" }))).toBe("x-version: minimum")
      expect(signatureOf(judge({}))).toBe("x-version: missing")
    })
  )
})
