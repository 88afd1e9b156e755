import { createHash } from "node:crypto"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { makeMemory } from "../../src/ports/SpecCache.js"
import { type ApiSpec, loadSpec, SpecCache } from "../../src/spec/index.js"
import { loadDoc, op } from "./helpers.js"

const info = { title: "t", version: "1" }

const petDoc = (petType: string) => ({
  openapi: "3.0.3",
  info,
  components: {
    schemas: {
      Pet: {
        type: "object",
        properties: { name: { type: petType }, tag: { $ref: "#/components/schemas/Tag" } }
      },
      Tag: { type: "string" },
      Owner: {
        type: "object",
        properties: { pets: { type: "array", items: { $ref: "#/components/schemas/Pet" } } }
      },
      Order: { type: "object", properties: { id: { type: "integer" } } }
    }
  },
  paths: {
    "/pets": {
      get: {
        operationId: "pets",
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } }
          }
        }
      }
    },
    "/owners": {
      get: {
        operationId: "owners",
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Owner" } } }
          }
        }
      }
    },
    "/orders": {
      get: {
        operationId: "orders",
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Order" } } }
          }
        }
      }
    }
  }
})

describe("fingerprints", () => {
  it.effect("stable for the same document", () =>
    Effect.gen(function* () {
      const first = yield* loadDoc(petDoc("string"))
      const second = yield* loadDoc(petDoc("string"))
      expect(first.operations.map((operation) => operation.fingerprint)).toEqual(
        second.operations.map((operation) => operation.fingerprint)
      )
    })
  )

  it.effect("change reaches exactly the users", () =>
    Effect.gen(function* () {
      const before = yield* loadDoc(petDoc("string"))
      const after = yield* loadDoc(petDoc("integer"))
      const changed = (id: string) => op(before, id).fingerprint !== op(after, id).fingerprint
      expect(changed("pets")).toBe(true)
      expect(changed("owners")).toBe(true)
      expect(changed("orders")).toBe(false)
    })
  )
})

describe("content hash", () => {
  it.scoped("sha256 of the file bytes", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "qawave-hash-"))),
        (path) => Effect.promise(() => rm(path, { recursive: true, force: true }))
      )
      const file = join(dir, "api.json")
      yield* Effect.promise(() => writeFile(file, JSON.stringify(petDoc("string"), null, 2)))
      const bytes = yield* Effect.promise(() => readFile(file))
      const spec = yield* loadSpec(file).pipe(
        Effect.provide(SpecCache.layerMemory({ capacity: 2, ttl: "1 minute" }))
      )
      expect(spec.contentHash).toBe(createHash("sha256").update(bytes).digest("hex"))
    })
  )
})

describe("SpecCache", () => {
  it.effect("same content returns the cached spec", () =>
    Effect.gen(function* () {
      const first = yield* loadSpec({ document: petDoc("string") })
      const second = yield* loadSpec({ document: petDoc("string") })
      const other = yield* loadSpec({ document: petDoc("integer") })
      expect(second).toBe(first)
      expect(other).not.toBe(first)
    }).pipe(Effect.provide(SpecCache.layerMemory({ capacity: 4, ttl: "1 hour" })))
  )

  it.effect("entries expire after the ttl", () =>
    Effect.gen(function* () {
      const cache = makeMemory({ capacity: 4, ttl: "10 seconds" })
      const spec = {} as ApiSpec
      yield* cache.set("a", spec)
      yield* TestClock.adjust("9 seconds")
      expect(Option.isSome(yield* cache.get("a"))).toBe(true)
      yield* TestClock.adjust("2 seconds")
      expect(Option.isNone(yield* cache.get("a"))).toBe(true)
    })
  )

  it.effect("least recently used goes first", () =>
    Effect.gen(function* () {
      const cache = makeMemory({ capacity: 2, ttl: "1 hour" })
      const spec = {} as ApiSpec
      yield* cache.set("a", spec)
      yield* cache.set("b", spec)
      yield* cache.get("a")
      yield* cache.set("c", spec)
      expect(Option.isSome(yield* cache.get("a"))).toBe(true)
      expect(Option.isNone(yield* cache.get("b"))).toBe(true)
      expect(Option.isSome(yield* cache.get("c"))).toBe(true)
    })
  )
})
