/**
 * The generated spec of the AI throughput benchmark and the scripted model behind it. Every resource
 * has four operations (list, create, read, delete), and for each operation the script returns
 * exactly `scenariosPerCall` distinct scenarios that the acceptance checks keep, so the measurement
 * is about call throughput, not about the quality of the model's output.
 */
import type { ChatRequest, ScriptedAnswer } from "@qawave/core/model-server"
import { operationHintFromMessages } from "@qawave/core/model-server"

/** Operations per resource in `buildThroughputSpec`. */
export const operationsPerResource = 4

const thingSchema = {
  type: "object",
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 40 },
    size: { type: "integer", minimum: 0, maximum: 1000 }
  }
}

/** Builds an OpenAPI 3.0 document with `resources` × 4 operations. */
export const buildThroughputSpec = (resources: number): object => {
  const paths: Record<string, unknown> = {}
  const schemas: Record<string, unknown> = {}
  for (let index = 0; index < resources; index++) {
    const ref = { $ref: `#/components/schemas/Thing${index}` }
    schemas[`Thing${index}`] = thingSchema
    paths[`/things${index}`] = {
      get: {
        operationId: `listThings${index}`,
        parameters: [{ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } }],
        responses: {
          "200": {
            description: "The things",
            content: { "application/json": { schema: { type: "array", items: ref } } }
          }
        }
      },
      post: {
        operationId: `createThing${index}`,
        requestBody: { required: true, content: { "application/json": { schema: ref } } },
        responses: {
          "201": { description: "Created", content: { "application/json": { schema: ref } } },
          "400": { description: "Invalid thing" }
        }
      }
    }
    paths[`/things${index}/{thingId}`] = {
      parameters: [{ name: "thingId", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
      get: {
        operationId: `getThing${index}`,
        responses: {
          "200": { description: "The thing", content: { "application/json": { schema: ref } } },
          "404": { description: "Not found" }
        }
      },
      delete: {
        operationId: `deleteThing${index}`,
        responses: { "204": { description: "Deleted" }, "404": { description: "Not found" } }
      }
    }
  }
  return {
    openapi: "3.0.3",
    info: { title: "AI throughput benchmark", version: "1.0.0" },
    paths,
    components: { schemas }
  }
}

const value = (name: string, json: unknown) => ({ name, value: JSON.stringify(json) })

/** Writes scenario `n` (from 1) for an operation of `buildThroughputSpec`; each `n` gives other values. */
const scenarioFor = (operationId: string, n: number) => {
  const base = {
    operationId,
    intent: "valid",
    description: `Scenario ${n} of ${operationId} with its own values.`,
    specText: "The operation as the spec declares it.",
    expect: "2xx",
    assertions: []
  }
  const empty = { pathParams: [], query: [], headers: [], body: null }
  if (operationId.startsWith("list")) return { ...base, request: { ...empty, query: [value("limit", n)] } }
  if (operationId.startsWith("create")) {
    const body = JSON.stringify({ name: `thing ${n}`, size: n * 10 })
    return { ...base, request: { ...empty, body } }
  }
  return { ...base, request: { ...empty, pathParams: [value("thingId", n)] } }
}

/**
 * Returns a model-server script that returns `scenariosPerCall` scenarios for the operation named
 * in the prompt of every generation call.
 */
export const exactScenariosScript =
  (scenariosPerCall: number) =>
  (request: ChatRequest): ScriptedAnswer => {
    const operationId = operationHintFromMessages(request.messages)?.operationId ?? "unknown"
    const scenarios = Array.from({ length: scenariosPerCall }, (_, i) => scenarioFor(operationId, i + 1))
    return { json: { scenarios } }
  }
