/**
 * Request bodies by media type, asserted on what a real server receives and parses.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { Executor } from "../../src/execute/Executor.js"
import { encodeRequest } from "../../src/execute/encode.js"
import type { MediaType, Operation, SchemaDefinitions } from "../../src/spec/model.js"
import { encodeOrDie, operation, request } from "./fixtures.js"
import { startServer } from "./server.js"

const withBody = (content: ReadonlyArray<MediaType>): Operation =>
  operation({ method: "post", requestBody: { required: true, content } })

const media = (mediaType: string, fields: Partial<MediaType> = {}): MediaType => ({
  mediaType,
  examples: [],
  encoding: {},
  ...fields
})

/** Parses a multipart body with undici's own parser (the `Response` of Node's fetch). */
const parseMultipart = (body: Buffer, contentType: string) =>
  Effect.promise(() => new Response(body, { headers: { "content-type": contentType } }).formData())

describe("request bodies on the wire", () => {
  it.scopedLive("JSON body", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = withBody([media("application/json")])
      const value = { name: "Rex", tags: ["a", "b"], age: 3, note: "it's" }
      const encoded = yield* encodeOrDie(op, request({ body: { mediaType: "application/json", value } }), {
        baseUrl: server.baseUrl
      })
      const exchange = yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      const received = server.received[0]!
      expect(received.method).toBe("POST")
      expect(received.headers["content-type"]).toBe("application/json")
      expect(JSON.parse(received.body.toString("utf8"))).toEqual(value)
      expect(exchange.request.body).toBe(JSON.stringify(value))
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("+json body", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = withBody([media("application/merge-patch+json")])
      const encoded = yield* encodeOrDie(
        op,
        request({ body: { mediaType: "application/merge-patch+json", value: { name: null } } }),
        { baseUrl: server.baseUrl }
      )
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      expect(server.received[0]!.headers["content-type"]).toBe("application/merge-patch+json")
      expect(server.received[0]!.body.toString("utf8")).toBe('{"name":null}')
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("form-urlencoded with encoding styles", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = withBody([
        media("application/x-www-form-urlencoded", {
          encoding: {
            tags: { style: "form", explode: false },
            ids: { style: "pipeDelimited", explode: false },
            filter: { style: "deepObject", explode: true }
          }
        })
      ])
      const value = {
        name: "a b&c=d+e",
        tags: ["x", "y"],
        colors: ["red", "green"],
        ids: [1, 2],
        filter: { kind: "dog" }
      }
      const encoded = yield* encodeOrDie(
        op,
        request({ body: { mediaType: "application/x-www-form-urlencoded", value } }),
        { baseUrl: server.baseUrl }
      )
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      const received = server.received[0]!
      expect(received.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      const text = received.body.toString("utf8")
      expect(text).toBe(
        "name=a%20b%26c%3Dd%2Be&tags=x,y&colors=red&colors=green&ids=1%7C2&filter%5Bkind%5D=dog"
      )
      const parsed = new URLSearchParams(text)
      expect(parsed.get("name")).toBe("a b&c=d+e")
      expect(parsed.getAll("colors")).toEqual(["red", "green"])
      expect(parsed.get("filter[kind]")).toBe("dog")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("multipart with part types and a file", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const definitions: SchemaDefinitions = {
        get: (key) =>
          key === "Upload"
            ? {
                type: "object",
                properties: {
                  file: { type: "string", format: "binary" },
                  meta: { type: "object" },
                  note: { type: "string" },
                  tags: { type: "array", items: { type: "string" } },
                  attachment: { type: "string", contentMediaType: "application/pdf" }
                }
              }
            : undefined
      }
      const op = withBody([
        media("multipart/form-data", {
          schema: { $ref: "#/$defs/Upload" },
          encoding: { file: { contentType: "image/png" }, note: { contentType: "text/markdown" } }
        })
      ])
      const value = {
        file: "PNGDATA",
        meta: { width: 2, height: 3 },
        note: "# title",
        tags: ["a", "b"],
        attachment: "%PDF-1.4",
        count: 7
      }
      const encoded = yield* encodeOrDie(op, request({ body: { mediaType: "multipart/form-data", value } }), {
        baseUrl: server.baseUrl,
        definitions
      })
      const exchange = yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      const received = server.received[0]!
      const contentType = received.headers["content-type"] as string
      expect(contentType).toMatch(/^multipart\/form-data; boundary=/)
      const form = yield* parseMultipart(received.body, contentType)
      const file = form.get("file") as File
      expect(file.type).toBe("image/png")
      expect(yield* Effect.promise(() => file.text())).toBe("PNGDATA")
      const meta = form.get("meta") as File
      expect(meta.type).toBe("application/json")
      expect(JSON.parse(yield* Effect.promise(() => meta.text()))).toEqual({ width: 2, height: 3 })
      expect((form.get("note") as File).type).toBe("text/markdown")
      expect(form.getAll("tags")).toEqual(["a", "b"])
      expect((form.get("attachment") as File).type).toBe("application/pdf")
      expect(form.get("count")).toBe("7")
      expect(exchange.request.headers["content-type"]).toBe("multipart/form-data")
      expect(exchange.request.body).toContain('--part name="file"; content-type: image/png')
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("multipart with a Blob and bytes", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = withBody([media("multipart/form-data")])
      const value = {
        photo: new Blob([new Uint8Array([1, 2, 3])], { type: "image/jpeg" }),
        raw: new Uint8Array([9, 8])
      }
      const encoded = yield* encodeOrDie(op, request({ body: { mediaType: "multipart/form-data", value } }), {
        baseUrl: server.baseUrl
      })
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      const received = server.received[0]!
      const form = yield* parseMultipart(received.body, received.headers["content-type"] as string)
      const photo = form.get("photo") as File
      expect(photo.type).toBe("image/jpeg")
      expect([...new Uint8Array(yield* Effect.promise(() => photo.arrayBuffer()))]).toEqual([1, 2, 3])
      const raw = form.get("raw") as File
      expect(raw.type).toBe("application/octet-stream")
      expect(raw.size).toBe(2)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("binary body from bytes", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = withBody([media("application/octet-stream")])
      const bytes = new Uint8Array([0, 1, 2, 254, 255])
      const encoded = yield* encodeOrDie(
        op,
        request({ body: { mediaType: "application/octet-stream", value: bytes } }),
        { baseUrl: server.baseUrl }
      )
      const exchange = yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      const received = server.received[0]!
      expect(received.headers["content-type"]).toBe("application/octet-stream")
      expect([...received.body]).toEqual([0, 1, 2, 254, 255])
      expect(exchange.request.body).toBe("<binary, 5 bytes>")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("binary body from a string", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = withBody([media("application/octet-stream")])
      const encoded = yield* encodeOrDie(
        op,
        request({ body: { mediaType: "application/octet-stream", value: "raw bytes" } }),
        { baseUrl: server.baseUrl }
      )
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      expect(server.received[0]!.body.toString("utf8")).toBe("raw bytes")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("text/plain body", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = withBody([media("text/plain")])
      const encoded = yield* encodeOrDie(
        op,
        request({ body: { mediaType: "text/plain; charset=utf-8", value: "héllo" } }),
        { baseUrl: server.baseUrl }
      )
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      expect(server.received[0]!.headers["content-type"]).toBe("text/plain; charset=utf-8")
      expect(server.received[0]!.body.toString("utf8")).toBe("héllo")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("step content-type wins", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = withBody([media("application/json")])
      const step = request({
        headers: { "Content-Type": "text/xml" },
        body: { mediaType: "application/json", value: { a: 1 } }
      })
      const encoded = yield* encodeOrDie(op, step, { baseUrl: server.baseUrl })
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      expect(server.received[0]!.headers["content-type"]).toBe("text/xml")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.effect("object body for XML rejected", () =>
    Effect.sync(() => {
      const op = withBody([media("application/xml")])
      const result = encodeRequest(op, request({ body: { mediaType: "application/xml", value: { a: 1 } } }), {
        baseUrl: "http://127.0.0.1:1"
      })

      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(result.left.location).toBe("body")
    })
  )

  it.effect("multipart non-object rejected", () =>
    Effect.sync(() => {
      const op = withBody([media("multipart/form-data")])
      const result = encodeRequest(op, request({ body: { mediaType: "multipart/form-data", value: [1] } }), {
        baseUrl: "http://127.0.0.1:1"
      })

      expect(Either.isLeft(result)).toBe(true)
    })
  )
})
