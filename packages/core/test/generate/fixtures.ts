/**
 * Hand-built specs for the generator tests, independent of the loader: operations, parameters and
 * bodies in the normalized model, with a Map-backed `definitions`.
 */

import { toStandalone } from "../../src/generate/schema/resolve.js"
import type { StepRequest } from "../../src/scenario/Scenario.js"
import { validate } from "../../src/schema/Validator.js"
import type {
  ApiSpec,
  HttpMethod,
  JsonSchema,
  Link,
  Operation,
  Parameter,
  ParameterLocation,
  RequestBody,
  Response,
  SecurityRequirement
} from "../../src/spec/model.js"

export const makeSpec = (
  operations: ReadonlyArray<Operation>,
  definitions: Readonly<Record<string, JsonSchema>> = {}
): ApiSpec => {
  const map = new Map(Object.entries(definitions))
  return {
    title: "Fixture",
    version: "1.0.0",
    specVersion: "3.1",
    source: "memory",
    contentHash: "fixture",
    servers: ["/"],
    securitySchemes: { key: { type: "apiKey", name: "key", in: "header", parameterName: "X-Api-Key" } },
    definitions: { get: (key) => map.get(key) },
    operations,
    problems: [],
    warnings: []
  }
}

export const param = (
  name: string,
  location: ParameterLocation,
  schema: JsonSchema,
  extra: Partial<Parameter> = {}
): Parameter => ({
  name,
  in: location,
  required: location === "path",
  deprecated: false,
  style: location === "query" || location === "cookie" ? "form" : "simple",
  explode: location === "query" || location === "cookie",
  allowReserved: false,
  allowEmptyValue: false,
  schema,
  examples: [],
  ...extra
})

export const jsonBody = (
  schema: JsonSchema,
  examples: ReadonlyArray<unknown> = [],
  mediaType = "application/json"
): RequestBody => ({
  required: true,
  content: [{ mediaType, schema, examples, encoding: {} }]
})

export const jsonResponse = (
  status: string,
  schema?: JsonSchema,
  links: ReadonlyArray<Link> = []
): Response => ({
  status,
  description: "response",
  content:
    schema === undefined ? [] : [{ mediaType: "application/json", schema, examples: [], encoding: {} }],
  headers: [],
  links
})

export const secured: ReadonlyArray<SecurityRequirement> = [[{ scheme: "key", scopes: [] }]]

export const makeOperation = (
  id: string,
  method: HttpMethod,
  path: string,
  extra: Partial<Omit<Operation, "id" | "method" | "path">> = {}
): Operation => ({
  id,
  method,
  path,
  tags: [],
  deprecated: false,
  servers: ["/"],
  parameters: [],
  responses: [jsonResponse("200")],
  security: [],
  fingerprint: `fp-${id}`,
  problems: [],
  pointer: `/paths/${path.replace(/~/g, "~0").replace(/\//g, "~1")}/${method}`,
  ...extra
})

/** A pet store with components, a recursive schema, a discriminator and links. */
export const petDefinitions: Record<string, JsonSchema> = {
  Pet: {
    type: "object",
    required: ["name", "kind"],
    additionalProperties: false,
    properties: {
      id: { type: "integer", format: "int64", minimum: 1 },
      name: { type: "string", minLength: 1, maxLength: 20 },
      kind: { enum: ["cat", "dog"] },
      age: { type: "integer", minimum: 0, maximum: 40 },
      weight: { type: "number", exclusiveMinimum: 0, maximum: 100 },
      tag: { type: ["string", "null"], pattern: "^[A-Z]{2}-[0-9]{3}$" },
      tags: { type: "array", items: { type: "string", maxLength: 8 }, maxItems: 3, uniqueItems: true },
      owner: { $ref: "#/$defs/Owner" }
    }
  },
  Owner: {
    type: "object",
    required: ["email"],
    properties: { email: { type: "string", format: "email" }, website: { type: "string", format: "uri" } }
  }
}

/** Problems of a request against its operation: missing required parameters and invalid values. */
export const requestProblems = (spec: ApiSpec, operation: Operation, request: StepRequest): Array<string> => {
  const problems: Array<string> = []
  const bags = {
    path: request.pathParams,
    query: request.query,
    header: request.headers,
    cookie: request.cookies
  }
  for (const parameter of operation.parameters) {
    const value = bags[parameter.in][parameter.name]
    if (value === undefined) {
      if (parameter.required) problems.push(`${parameter.in}.${parameter.name} missing`)
      continue
    }
    if (validate(toStandalone(spec, parameter.schema), value).length > 0)
      problems.push(`${parameter.in}.${parameter.name} invalid`)
  }
  const media = operation.requestBody?.content.find((item) => item.mediaType === request.body?.mediaType)
  if (
    request.body !== undefined &&
    media?.schema !== undefined &&
    media.mediaType !== "application/octet-stream"
  ) {
    if (validate(toStandalone(spec, media.schema), request.body.value).length > 0)
      problems.push("body invalid")
  }
  return problems
}
