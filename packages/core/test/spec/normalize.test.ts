import { describe, expect, it } from "@effect/vitest"
import { Ajv2020 } from "ajv/dist/2020.js"
import { Effect } from "effect"
import { isUsable, standaloneSchema } from "../../src/spec/index.js"
import { deref, loadDoc, op } from "./helpers.js"

const info = { title: "t", version: "1" }
const ok = { "200": { description: "ok" } }

describe("readOnly and writeOnly views", () => {
  const doc = {
    openapi: "3.0.3",
    info,
    components: {
      schemas: {
        Id: { type: "string", readOnly: true },
        User: {
          type: "object",
          required: ["id", "name", "password"],
          properties: {
            id: { $ref: "#/components/schemas/Id" },
            name: { type: "string" },
            password: { type: "string", writeOnly: true }
          }
        },
        Team: {
          type: "object",
          properties: { members: { type: "array", items: { $ref: "#/components/schemas/User" } } }
        }
      }
    },
    paths: {
      "/teams": {
        post: {
          operationId: "createTeam",
          requestBody: {
            content: { "application/json": { schema: { allOf: [{ $ref: "#/components/schemas/Team" }] } } }
          },
          responses: {
            "201": {
              description: "made",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Team" } } }
            }
          }
        }
      }
    }
  }

  it.effect("request view drops readOnly through ref and items", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(doc)
      const body = op(spec, "createTeam").requestBody?.content[0]?.schema as { allOf: Array<unknown> }
      const team = deref(spec, body.allOf[0])
      const user = deref(spec, (team.properties as { members: { items: unknown } }).members.items)
      expect(Object.keys(user.properties as object)).toEqual(["name", "password"])
      expect(user.required).toEqual(["name", "password"])
    })
  )

  it.effect("response view drops writeOnly", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(doc)
      const team = deref(spec, op(spec, "createTeam").responses[0]?.content[0]?.schema)
      const user = deref(spec, (team.properties as { members: { items: unknown } }).members.items)
      expect(Object.keys(user.properties as object)).toEqual(["id", "name"])
      expect(user.required).toEqual(["id", "name"])
    })
  )
})

describe("recursive schemas", () => {
  it.effect("self reference stays recursive and validates", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc({
        openapi: "3.0.3",
        info,
        components: {
          schemas: {
            Node: {
              type: "object",
              required: ["name"],
              properties: {
                name: { type: "string" },
                children: { type: "array", items: { $ref: "#/components/schemas/Node" } }
              }
            }
          }
        },
        paths: {
          "/tree": {
            get: {
              operationId: "tree",
              responses: {
                "200": {
                  description: "ok",
                  content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } }
                }
              }
            }
          }
        }
      })
      const schema = op(spec, "tree").responses[0]?.content[0]?.schema ?? true
      const node = deref(spec, schema)
      expect((node.properties as { children: { items: unknown } }).children.items).toEqual({
        $ref: "#/$defs/Node"
      })
      const standalone = standaloneSchema(spec, schema)
      expect(standaloneSchema(spec, schema)).toBe(standalone)
      const validate = new Ajv2020({ strict: false }).compile(standalone as object)
      expect(validate({ name: "a", children: [{ name: "b", children: [{ name: "c" }] }] })).toBe(true)
      expect(validate({ name: "a", children: [{ children: [] }] })).toBe(false)
    })
  )

  it.effect("chain of 5000 references", () =>
    Effect.gen(function* () {
      const schemas: Record<string, object> = {}
      const depth = 5000
      for (let i = 0; i < depth; i++) schemas[`S${i}`] = { $ref: `#/components/schemas/S${i + 1}` }
      schemas[`S${depth}`] = { type: "object", properties: { next: { $ref: "#/components/schemas/S0" } } }
      const spec = yield* loadDoc({
        openapi: "3.0.3",
        info,
        components: { schemas },
        paths: {
          "/deep": {
            get: {
              operationId: "deep",
              responses: {
                "200": {
                  description: "ok",
                  content: { "application/json": { schema: { $ref: "#/components/schemas/S0" } } }
                }
              }
            }
          }
        }
      })
      const deep = op(spec, "deep")
      expect(isUsable(deep)).toBe(true)
      const standalone = standaloneSchema(spec, deep.responses[0]?.content[0]?.schema ?? true) as {
        $defs: Record<string, unknown>
      }
      expect(Object.keys(standalone.$defs)).toHaveLength(depth + 1)
    })
  )
})

describe("parameters", () => {
  const doc = {
    openapi: "3.0.3",
    info,
    components: {
      parameters: { Limit: { name: "limit", in: "query", schema: { type: "integer" }, example: 5 } }
    },
    paths: {
      "/items/{id}": {
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "trace", in: "header", schema: { type: "string" }, description: "from path item" }
        ],
        get: {
          operationId: "getItem",
          parameters: [
            { $ref: "#/components/parameters/Limit" },
            { name: "trace", in: "header", schema: { type: "integer" }, description: "from operation" },
            { name: "session", in: "cookie", schema: { type: "string" } },
            { name: "filter", in: "query", style: "deepObject", explode: true, schema: { type: "object" } },
            { name: "where", in: "query", content: { "application/json": { schema: { type: "object" } } } }
          ],
          responses: ok
        }
      }
    }
  }

  it.effect("defaults per location", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(doc)
      const byName = new Map(op(spec, "getItem").parameters.map((parameter) => [parameter.name, parameter]))
      expect([byName.get("id")?.style, byName.get("id")?.explode, byName.get("id")?.required]).toEqual([
        "simple",
        false,
        true
      ])
      expect([byName.get("limit")?.style, byName.get("limit")?.explode]).toEqual(["form", true])
      expect([byName.get("trace")?.style, byName.get("trace")?.explode]).toEqual(["simple", false])
      expect([byName.get("session")?.style, byName.get("session")?.explode]).toEqual(["form", true])
      expect([byName.get("filter")?.style, byName.get("filter")?.explode]).toEqual(["deepObject", true])
      expect(byName.get("limit")?.examples).toEqual([5])
    })
  )

  it.effect("operation wins by name and in", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(doc)
      const traces = op(spec, "getItem").parameters.filter((parameter) => parameter.name === "trace")
      expect(traces).toHaveLength(1)
      expect(traces[0]?.description).toBe("from operation")
      expect(traces[0]?.schema).toEqual({ type: "integer" })
    })
  )

  it.effect("content parameter has a media type", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(doc)
      const where = op(spec, "getItem").parameters.find((parameter) => parameter.name === "where")
      expect(where?.mediaType).toBe("application/json")
      expect(where?.schema).toEqual({ type: "object" })
    })
  )
})

describe("bodies and responses", () => {
  it.effect("media types, encoding, headers, ranges and links", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc({
        openapi: "3.0.3",
        info,
        paths: {
          "/files": {
            post: {
              operationId: "upload",
              requestBody: {
                required: true,
                content: {
                  "multipart/form-data": {
                    schema: { type: "object", properties: { file: { type: "string", format: "binary" } } },
                    encoding: { file: { contentType: "image/png" } }
                  },
                  "application/octet-stream": { schema: { type: "string", format: "binary" } },
                  "application/vnd.api+json; charset=utf-8": { schema: { type: "object" }, example: { a: 1 } }
                }
              },
              responses: {
                "201": {
                  description: "made",
                  headers: {
                    Location: { required: true, schema: { type: "string" } },
                    "Content-Type": { schema: { type: "string" } }
                  },
                  links: { fetch: { operationId: "getFile", parameters: { id: "$response.body#/id" } } }
                },
                "4xx": { description: "client error" },
                default: { description: "other" }
              }
            }
          },
          "/files/{id}": {
            get: {
              operationId: "getFile",
              parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
              responses: ok
            }
          }
        }
      })
      const upload = op(spec, "upload")
      expect(upload.requestBody?.required).toBe(true)
      expect(upload.requestBody?.content.map((media) => media.mediaType)).toEqual([
        "multipart/form-data",
        "application/octet-stream",
        "application/vnd.api+json"
      ])
      expect(upload.requestBody?.content[0]?.encoding).toEqual({ file: { contentType: "image/png" } })
      expect(upload.requestBody?.content[2]?.examples).toEqual([{ a: 1 }])
      expect(upload.responses.map((response) => response.status)).toEqual(["201", "4XX", "default"])
      expect(upload.responses[0]?.headers).toEqual([
        { name: "Location", required: true, schema: { type: "string" } }
      ])
      expect(upload.responses[0]?.links).toEqual([
        { name: "fetch", operationId: "getFile", parameters: { id: "$response.body#/id" } }
      ])
    })
  )
})

describe("operation ids", () => {
  it.effect("generated and made unique", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc({
        openapi: "3.0.3",
        info,
        paths: {
          "/pets/{petId}": {
            get: {
              parameters: [{ name: "petId", in: "path", required: true, schema: { type: "string" } }],
              responses: ok
            }
          },
          "/a": { get: { operationId: "same", responses: ok } },
          "/b": { get: { operationId: "same", responses: ok } },
          "/": { get: { responses: ok } }
        }
      })
      expect(spec.operations.map((operation) => operation.id)).toEqual([
        "get_pets_petId",
        "same",
        "same_2",
        "get_root"
      ])
      expect(op(spec, "same_2").problems.map((problem) => problem.code)).toEqual(["duplicate-operation-id"])
      expect(spec.warnings.some((warning) => warning.code === "duplicate-operation-id")).toBe(true)
    })
  )
})
