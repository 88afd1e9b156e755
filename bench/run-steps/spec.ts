/**
 * The generated spec of the throughput and memory measurements: `operations` GET operations on
 * `/items{n}/{id}`, each with an integer path parameter and `queryParameters` optional query
 * parameters of simple types. Every query parameter adds positive, negative and boundary cases, so
 * one operation yields up to about `4 × queryParameters` scenarios before `maxScenariosPerOperation`
 * cuts them.
 */

const queryParameter = (index: number): object => {
  const name = `q${index}`
  switch (index % 4) {
    case 0:
      return { name, in: "query", schema: { type: "integer", minimum: 0, maximum: 1_000 } }
    case 1:
      return { name, in: "query", schema: { type: "string", minLength: 1, maxLength: 16 } }
    case 2:
      return { name, in: "query", schema: { type: "string", enum: ["a", "b", "c"] } }
    default:
      return { name, in: "query", schema: { type: "number", minimum: -10, maximum: 10 } }
  }
}

/** Builds an OpenAPI 3.0 document with `operations` GET operations that each declare a 200 response with an item. */
export const buildItemsSpec = (operations: number, queryParameters: number): object => {
  const parameters = [
    { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } },
    ...Array.from({ length: queryParameters }, (_, index) => queryParameter(index))
  ]
  const paths: Record<string, object> = {}
  for (let n = 0; n < operations; n++) {
    paths[`/items${n}/{id}`] = {
      get: {
        operationId: `getItem${n}`,
        parameters,
        responses: {
          "200": {
            description: "The item.",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } }
          }
        }
      }
    }
  }
  return {
    openapi: "3.0.3",
    info: { title: "Generated items", version: "1.0.0" },
    paths,
    components: {
      schemas: {
        Item: {
          type: "object",
          required: ["id", "name"],
          properties: { id: { type: "integer" }, name: { type: "string" }, status: { type: "string" } }
        }
      }
    }
  }
}
