import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { deref, loadDoc, op } from "./helpers.js"

const oas30 = (schemas: object, paths: object) => ({
  openapi: "3.0.3",
  info: { title: "t", version: "1" },
  paths,
  components: { schemas }
})

const getWith = (schema: object) => ({
  "/things": {
    get: {
      operationId: "list",
      responses: { "200": { description: "ok", content: { "application/json": { schema } } } }
    }
  }
})

describe("schema conversion 3.0", () => {
  it.effect("nullable becomes a type array", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(
        oas30({ Name: { type: "string", nullable: true } }, getWith({ $ref: "#/components/schemas/Name" }))
      )
      const schema = op(spec, "list").responses[0]?.content[0]?.schema
      expect(deref(spec, schema)).toEqual({ type: ["string", "null"] })
    })
  )

  it.effect("nullable without type wraps anyOf", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(
        oas30(
          { A: { type: "object" }, B: { allOf: [{ $ref: "#/components/schemas/A" }], nullable: true } },
          getWith({ $ref: "#/components/schemas/B" })
        )
      )
      const b = deref(spec, op(spec, "list").responses[0]?.content[0]?.schema)
      expect(b).toEqual({ anyOf: [{ allOf: [{ $ref: "#/$defs/A" }] }, { type: "null" }] })
    })
  )

  it.effect("nullable enum gains null", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(oas30({}, getWith({ type: "string", enum: ["a"], nullable: true })))
      expect(op(spec, "list").responses[0]?.content[0]?.schema).toEqual({
        type: ["string", "null"],
        enum: ["a", null]
      })
    })
  )

  it.effect("boolean exclusive bounds become numbers", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(
        oas30(
          {},
          getWith({ type: "number", minimum: 1, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false })
        )
      )
      expect(op(spec, "list").responses[0]?.content[0]?.schema).toEqual({
        type: "number",
        exclusiveMinimum: 1,
        maximum: 9
      })
    })
  )

  it.effect("example becomes examples", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(oas30({}, getWith({ type: "string", example: "x" })))
      expect(op(spec, "list").responses[0]?.content[0]?.schema).toEqual({ type: "string", examples: ["x"] })
    })
  )

  it.effect("ref siblings ignored in 3.0", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(
        oas30({ A: { type: "string" } }, getWith({ $ref: "#/components/schemas/A", maxLength: 3 }))
      )
      expect(op(spec, "list").responses[0]?.content[0]?.schema).toEqual({ $ref: "#/$defs/A" })
    })
  )

  it.effect("xml and extensions dropped, discriminator kept", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(
        oas30(
          {},
          getWith({
            type: "object",
            xml: { name: "x" },
            "x-internal": true,
            discriminator: { propertyName: "k" }
          })
        )
      )
      expect(op(spec, "list").responses[0]?.content[0]?.schema).toEqual({
        type: "object",
        discriminator: { propertyName: "k" }
      })
    })
  )
})

describe("schema conversion 3.1", () => {
  const oas31 = (schemas: object, paths: object) => ({ ...oas30(schemas, paths), openapi: "3.1.0" })

  it.effect("type arrays and const kept", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(oas31({}, getWith({ type: ["string", "null"], const: "fixed" })))
      expect(op(spec, "list").responses[0]?.content[0]?.schema).toEqual({
        type: ["string", "null"],
        const: "fixed"
      })
    })
  )

  it.effect("ref with siblings applies both", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(
        oas31({ A: { type: "string" } }, getWith({ $ref: "#/components/schemas/A", maxLength: 3 }))
      )
      expect(op(spec, "list").responses[0]?.content[0]?.schema).toEqual({
        allOf: [{ $ref: "#/$defs/A" }, { maxLength: 3 }]
      })
    })
  )

  it.effect("nullable is not a 3.1 keyword", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(oas31({}, getWith({ type: "string", nullable: true })))
      expect(op(spec, "list").responses[0]?.content[0]?.schema).toEqual({ type: "string" })
    })
  )
})

describe("schema conversion 2.0", () => {
  const swagger = {
    swagger: "2.0",
    info: { title: "pets", version: "1" },
    host: "api.example.com",
    basePath: "/v1",
    schemes: ["https", "http"],
    consumes: ["application/json", "application/xml"],
    produces: ["application/json"],
    responses: { NotFound: { description: "missing", schema: { type: "string" } } },
    definitions: { Pet: { type: "object", properties: { name: { type: "string", "x-nullable": true } } } },
    paths: {
      "/pets": {
        post: {
          operationId: "addPet",
          parameters: [{ in: "body", name: "body", required: true, schema: { $ref: "#/definitions/Pet" } }],
          responses: {
            "200": { description: "ok", schema: { $ref: "#/definitions/Pet" } },
            "404": { $ref: "#/responses/NotFound" }
          }
        },
        get: {
          operationId: "listPets",
          produces: ["application/xml"],
          parameters: [
            { in: "query", name: "tags", type: "array", items: { type: "string" }, collectionFormat: "multi" }
          ],
          responses: {
            "200": { description: "ok", schema: { type: "array", items: { $ref: "#/definitions/Pet" } } },
            "404": { $ref: "#/responses/NotFound" }
          }
        }
      },
      "/pets/{id}/photo": {
        post: {
          operationId: "upload",
          consumes: ["multipart/form-data"],
          parameters: [
            { in: "path", name: "id", required: true, type: "integer" },
            { in: "formData", name: "file", type: "file", required: true },
            { in: "formData", name: "note", type: "string" }
          ],
          responses: { "204": { description: "done" } }
        }
      },
      "/pets/{id}/rename": {
        post: {
          operationId: "rename",
          parameters: [
            { in: "path", name: "id", required: true, type: "integer" },
            { in: "formData", name: "name", type: "string", required: true }
          ],
          responses: { "204": { description: "done" } }
        }
      }
    }
  }

  it.effect("body parameter becomes a request body per consumes", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(swagger)
      const body = op(spec, "addPet").requestBody
      expect(body?.required).toBe(true)
      expect(body?.content.map((media) => media.mediaType)).toEqual(["application/json", "application/xml"])
      expect(body?.content[0]?.schema).toEqual({ $ref: "#/$defs/Pet" })
      expect(spec.definitions.get("Pet")).toEqual({
        type: "object",
        properties: { name: { type: ["string", "null"] } }
      })
    })
  )

  it.effect("produces gives response media types", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(swagger)
      expect(op(spec, "listPets").responses[0]?.content.map((media) => media.mediaType)).toEqual([
        "application/xml"
      ])
      expect(op(spec, "addPet").responses[0]?.content.map((media) => media.mediaType)).toEqual([
        "application/json"
      ])
    })
  )

  it.effect("shared response follows produces", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(swagger)
      const notFound = (id: string) => op(spec, id).responses.find((response) => response.status === "404")
      expect(notFound("listPets")?.content.map((media) => media.mediaType)).toEqual(["application/xml"])
      expect(notFound("addPet")?.content.map((media) => media.mediaType)).toEqual(["application/json"])
    })
  )

  it.effect("file formData becomes multipart", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(swagger)
      const body = op(spec, "upload").requestBody
      expect(body?.content.map((media) => media.mediaType)).toEqual(["multipart/form-data"])
      expect(body?.content[0]?.schema).toEqual({
        type: "object",
        properties: { file: { type: "string", format: "binary" }, note: { type: "string" } },
        required: ["file"]
      })
    })
  )

  it.effect("formData without multipart is urlencoded", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(swagger)
      expect(op(spec, "rename").requestBody?.content.map((media) => media.mediaType)).toEqual([
        "application/x-www-form-urlencoded"
      ])
    })
  )

  it.effect("collectionFormat multi is form explode", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(swagger)
      const tags = op(spec, "listPets").parameters[0]
      expect(tags?.style).toBe("form")
      expect(tags?.explode).toBe(true)
      expect(tags?.schema).toEqual({ type: "array", items: { type: "string" } })
    })
  )

  it.effect("host basePath and schemes give servers", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(swagger)
      expect(spec.servers).toEqual(["https://api.example.com/v1", "http://api.example.com/v1"])
      expect(op(spec, "upload").servers).toEqual(spec.servers)
    })
  )
})
