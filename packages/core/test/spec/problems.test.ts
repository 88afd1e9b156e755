import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { isUsable, type SpecLoadError } from "../../src/spec/index.js"
import { deref, load, loadDoc, op, serve } from "./helpers.js"

const info = { title: "t", version: "1" }
const ok = { "200": { description: "ok" } }

const withTempDir = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "qawave-spec-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

const loadError = (effect: Effect.Effect<unknown, unknown>) =>
  Effect.flip(effect).pipe(Effect.map((error) => error as SpecLoadError))

describe("broken operations", () => {
  const doc = {
    openapi: "3.0.3",
    info,
    components: {
      schemas: { Broken: { type: "object", properties: { inner: { $ref: "#/components/schemas/Missing" } } } }
    },
    paths: {
      "/good": { get: { operationId: "good", responses: ok } },
      "/dangling": {
        get: {
          operationId: "dangling",
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Nope" } } }
            }
          }
        }
      },
      "/via-component": {
        get: {
          operationId: "viaComponent",
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Broken" } } }
            }
          }
        }
      },
      "/not-a-schema": {
        get: {
          operationId: "notSchema",
          responses: { "200": { description: "ok", content: { "application/json": { schema: 42 } } } }
        }
      },
      "/items/{id}": { get: { operationId: "undeclared", responses: ok } },
      "/items": {
        get: {
          operationId: "extra",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: ok
        }
      }
    }
  }

  it.effect("each becomes an error on its operation", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(doc)
      const codes = (id: string) =>
        op(spec, id)
          .problems.filter((problem) => problem.severity === "error")
          .map((problem) => problem.code)
      expect(codes("good")).toEqual([])
      expect(isUsable(op(spec, "good"))).toBe(true)
      expect(codes("dangling")).toEqual(["dangling-ref"])
      expect(codes("viaComponent")).toEqual(["dangling-ref"])
      expect(codes("notSchema")).toEqual(["invalid-schema"])
      expect(codes("undeclared")).toEqual(["undeclared-path-parameter"])
      expect(codes("extra")).toEqual(["unknown-path-parameter"])
      expect(op(spec, "dangling").problems[0]?.pointer).toBe(
        "/paths/~1dangling/get/responses/200/content/application~1json/schema/$ref"
      )
      expect(op(spec, "viaComponent").problems[0]?.pointer).toBe(
        "/components/schemas/Broken/properties/inner/$ref"
      )
    })
  )
})

describe("warnings", () => {
  it.scoped("yaml numbers where strings belong", () =>
    Effect.gen(function* () {
      const dir = yield* withTempDir
      const file = join(dir, "api.yaml")
      const yaml = [
        "openapi: 3.0.3",
        "info:",
        "  title: t",
        "  version: 1.0",
        "paths:",
        "  /a:",
        "    get:",
        "      parameters:",
        "        - name: v",
        "          in: query",
        "          schema: { type: string, enum: [1.0, 2.0], example: 3 }",
        "      responses: { '200': { description: ok } }"
      ].join("\n")
      yield* Effect.promise(() => writeFile(file, yaml))
      const spec = yield* load(file)
      expect(spec.version).toBe("1")
      const found = spec.warnings.map((warning) => `${warning.code} ${warning.pointer}`)
      expect(found).toContain("number-instead-of-string /info/version")
      expect(found).toContain("number-in-string-schema /paths/~1a/get/parameters/0/schema/enum")
      expect(found).toContain("number-in-string-schema /paths/~1a/get/parameters/0/schema/example")
    })
  )

  it.effect("unsatisfiable and undeclared required", () =>
    Effect.gen(function* () {
      const schemas = {
        Range: { type: "integer", minimum: 10, maximum: 1 },
        Text: { type: "string", minLength: 5, maxLength: 2 },
        Nothing: { type: "string", enum: [] },
        Closed: {
          type: "object",
          required: ["ghost"],
          properties: { real: { type: "string" } },
          additionalProperties: false
        },
        Open: { type: "object", required: ["ghost"], properties: { real: { type: "string" } } }
      }
      const properties = Object.fromEntries(
        Object.keys(schemas).map((name) => [name, { $ref: `#/components/schemas/${name}` }])
      )
      const spec = yield* loadDoc({
        openapi: "3.0.3",
        info,
        components: { schemas },
        paths: {
          "/a": {
            get: {
              responses: {
                "200": {
                  description: "ok",
                  content: { "application/json": { schema: { type: "object", properties } } }
                }
              }
            }
          }
        }
      })
      const found = spec.warnings.map((warning) => `${warning.code} ${warning.pointer}`).sort()
      expect(found).toEqual([
        "undeclared-required-property /components/schemas/Open/required",
        "unsatisfiable-schema /components/schemas/Closed",
        "unsatisfiable-schema /components/schemas/Nothing",
        "unsatisfiable-schema /components/schemas/Range",
        "unsatisfiable-schema /components/schemas/Text"
      ])
    })
  )
})

describe("unusable documents", () => {
  it.scoped("not JSON or YAML", () =>
    Effect.gen(function* () {
      const dir = yield* withTempDir
      const file = join(dir, "bad.json")
      yield* Effect.promise(() => writeFile(file, "{ openapi: [3.0"))
      const error = yield* loadError(load(file))
      expect(error._tag).toBe("SpecLoadError")
      expect(error.reason).toBe("invalid-syntax")
      expect(error.message).toContain(file)
    })
  )

  it.effect("not an OpenAPI document", () =>
    Effect.gen(function* () {
      const error = yield* loadError(loadDoc({ hello: "world" }))
      expect(error.reason).toBe("not-openapi")
    })
  )

  it.effect("paths of the wrong type", () =>
    Effect.gen(function* () {
      const error = yield* loadError(loadDoc({ openapi: "3.0.0", info, paths: [] }))
      expect(error.reason).toBe("invalid-paths")
      expect(error.pointer).toBe("/paths")
      expect(error.message).toContain("memory at /paths")
    })
  )

  it.effect("unsupported version", () =>
    Effect.gen(function* () {
      const error = yield* loadError(loadDoc({ openapi: "4.0.0", info, paths: {} }))
      expect(error.reason).toBe("unsupported-version")
    })
  )

  it.effect("file not found", () =>
    Effect.gen(function* () {
      const error = yield* loadError(load("/nonexistent/qawave/openapi.yaml"))
      expect(error.reason).toBe("not-found")
      expect(error.message).toContain("/nonexistent/qawave/openapi.yaml")
    })
  )

  it.effect("directory instead of a file", () =>
    Effect.gen(function* () {
      const error = yield* loadError(load(tmpdir()))
      expect(error.reason).toBe("read-failed")
      expect(error.message).toContain("the path is a directory")
      expect(error.message).toContain("Give the path of the spec file in it")
    })
  )

  it.scoped("URL fetch failure", () =>
    Effect.gen(function* () {
      const server = yield* serve({})
      const error = yield* loadError(load(`${server.url}/missing.json`))
      expect(error.reason).toBe("fetch-failed")
      expect(error.message).toContain("HTTP 404")
    })
  )

  it.scoped("redirects followed up to five", () =>
    Effect.gen(function* () {
      const body = JSON.stringify({ openapi: "3.0.3", info, paths: { "/a": { get: { responses: ok } } } })
      const routes: Record<string, { status?: number; body?: string; location?: string }> = {
        "/spec": { body }
      }
      for (let i = 0; i < 7; i++)
        routes[`/r${i}`] = { status: 302, location: i === 6 ? "/spec" : `/r${i + 1}` }
      const server = yield* serve(routes)
      const spec = yield* load(`${server.url}/r2`)
      expect(spec.operations).toHaveLength(1)
      const error = yield* loadError(load(`${server.url}/r0`))
      expect(error.message).toContain("more than 5 redirects")
    })
  )

  it.scoped("body size cap", () =>
    Effect.gen(function* () {
      const server = yield* serve({ "/big": { body: "x".repeat(10_000) } })
      const error = yield* loadError(load(`${server.url}/big`, { maxBytes: 1000 }))
      expect(error.reason).toBe("too-large")
    })
  )
})

describe("external references", () => {
  const main = (ref: string) => ({
    openapi: "3.0.3",
    info,
    paths: {
      "/pets": {
        get: {
          operationId: "pets",
          responses: {
            "200": { description: "ok", content: { "application/json": { schema: { $ref: ref } } } }
          }
        }
      }
    }
  })
  const shared = {
    components: {
      schemas: {
        Pet: {
          type: "object",
          properties: {
            name: { type: "string" },
            owner: { $ref: "./people/person.yaml#/Person" },
            friend: { $ref: "#/components/schemas/Pet" }
          }
        }
      }
    }
  }

  it.scoped("across files in a directory", () =>
    Effect.gen(function* () {
      const dir = yield* withTempDir
      yield* Effect.promise(async () => {
        const { mkdir } = await import("node:fs/promises")
        await mkdir(join(dir, "common", "people"), { recursive: true })
        await writeFile(
          join(dir, "openapi.json"),
          JSON.stringify(main("./common/shared.json#/components/schemas/Pet"))
        )
        await writeFile(join(dir, "common", "shared.json"), JSON.stringify(shared))
        await writeFile(
          join(dir, "common", "people", "person.yaml"),
          "Person:\n  type: object\n  properties:\n    age: { type: integer }\n"
        )
      })
      const spec = yield* load(join(dir, "openapi.json"))
      const pets = op(spec, "pets")
      expect(isUsable(pets)).toBe(true)
      const pet = deref(spec, pets.responses[0]?.content[0]?.schema) as {
        properties: Record<string, { $ref: string }>
      }
      expect(pet.properties.friend).toEqual(pets.responses[0]?.content[0]?.schema)
      expect(spec.definitions.get(pet.properties.owner?.$ref.slice(8) ?? "")).toEqual({
        type: "object",
        properties: { age: { type: "integer" } }
      })
    })
  )

  it.scoped("over HTTP", () =>
    Effect.gen(function* () {
      const server = yield* serve({
        "/v1/openapi.json": { body: JSON.stringify(main("../lib/shared.json#/components/schemas/Pet")) },
        "/lib/shared.json": { body: JSON.stringify(shared) },
        "/lib/people/person.yaml": {
          body: "Person:\n  type: object\n  properties:\n    age: { type: integer }\n",
          type: "application/yaml"
        }
      })
      const spec = yield* load(`${server.url}/v1/openapi.json`)
      const pets = op(spec, "pets")
      expect(isUsable(pets)).toBe(true)
      const pet = deref(spec, pets.responses[0]?.content[0]?.schema) as {
        properties: Record<string, { $ref: string }>
      }
      expect(spec.definitions.get(pet.properties.owner?.$ref.slice(8) ?? "")).toEqual({
        type: "object",
        properties: { age: { type: "integer" } }
      })
    })
  )

  it.scoped("missing file makes only its users unusable", () =>
    Effect.gen(function* () {
      const dir = yield* withTempDir
      const doc = main("./absent.json#/Pet") as { paths: Record<string, unknown> }
      doc.paths["/ok"] = { get: { operationId: "fine", responses: ok } }
      yield* Effect.promise(() => writeFile(join(dir, "openapi.json"), JSON.stringify(doc)))
      const spec = yield* load(join(dir, "openapi.json"))
      expect(isUsable(op(spec, "fine"))).toBe(true)
      expect(op(spec, "pets").problems.map((problem) => problem.code)).toEqual(["unresolved-ref"])
      expect(spec.warnings.some((warning) => warning.code === "unresolved-external-ref")).toBe(true)
    })
  )
})
