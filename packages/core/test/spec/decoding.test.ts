import { isAscii } from "node:buffer"
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { asciiJsonText } from "../../src/spec/asciiJson.js"
import { textMayHaveExternalRefs } from "../../src/spec/externalRefs.js"
import { load, op } from "./helpers.js"

const withTempDir = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "qawave-decoding-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

const utf8 = (text: string): Buffer => Buffer.from(text, "utf8")

/** A spec whose operation description, property name and enum value are the given strings. */
const specWith = (description: string, property: string, value: string): string =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: {
      "/items": {
        get: {
          operationId: "items",
          description,
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": {
                  schema: { type: "object", properties: { [property]: { type: "string", enum: [value] } } }
                }
              }
            }
          }
        }
      }
    }
  })

describe("asciiJsonText", () => {
  it("ASCII read unchanged", () => {
    const text = '{"a": [1, "b"]}'
    expect(asciiJsonText(utf8(text))).toBe(text)
  })

  it("escapes parse to the same value", () => {
    const text = '{"größe": "Café ☕ 😀 日本語", "line\u2028sep": ["é"], "n": 1}'
    const ascii = asciiJsonText(utf8(text))
    expect(ascii).toBeDefined()
    expect(isAscii(Buffer.from(ascii ?? "", "latin1"))).toBe(true)
    expect(JSON.parse(ascii ?? "")).toEqual(JSON.parse(text))
  })

  it("non-JSON starts are left alone", () => {
    expect(asciiJsonText(utf8("openapi: 3.0.3\ninfo: { title: é }\n"))).toBeUndefined()
    expect(asciiJsonText(utf8('\ufeff{"a": "é"}'))).toBeUndefined()
    expect(asciiJsonText(utf8("   "))).toBeUndefined()
  })

  it("backslash before non-ASCII declines", () => {
    expect(asciiJsonText(utf8('{"a": "\\\\é"}'))).toBeUndefined()
  })

  it("invalid UTF-8 declines", () => {
    const bytes = Buffer.concat([utf8('{"a": "'), Buffer.from([0xff, 0xfe]), utf8('"}')])
    expect(asciiJsonText(bytes)).toBeUndefined()
  })

  it("mostly non-ASCII text declines", () => {
    expect(asciiJsonText(utf8(`{"a": "${"é".repeat(5000)}"}`))).toBeUndefined()
  })

  it("runs across chunk boundaries", () => {
    // 65,536-byte chunks: put a three-byte character across the first boundary.
    const text = `{"a": "${"x".repeat(65_536 - 9)}€€", "b": "é"}`
    const ascii = asciiJsonText(utf8(text))
    expect(JSON.parse(ascii ?? "")).toEqual(JSON.parse(text))
  })
})

describe("loading files outside ASCII", () => {
  it.scoped("same strings as UTF-8", () =>
    Effect.gen(function* () {
      const dir = yield* withTempDir
      const file = join(dir, "api.json")
      yield* Effect.promise(() => writeFile(file, specWith("Café ☕ 😀", "größe", "日本")))
      const spec = yield* load(file)
      const items = op(spec, "items")
      expect(items.description).toBe("Café ☕ 😀")
      const schema = items.responses[0]?.content[0]?.schema as {
        properties: Record<string, { enum: Array<string> }>
      }
      expect(Object.keys(schema.properties)).toEqual(["größe"])
      expect(schema.properties.größe?.enum).toEqual(["日本"])
    })
  )

  it.scoped("escaped backslash before é", () =>
    Effect.gen(function* () {
      const dir = yield* withTempDir
      const file = join(dir, "api.json")
      yield* Effect.promise(() => writeFile(file, specWith("C:\\é", "p", "v")))
      const spec = yield* load(file)
      expect(op(spec, "items").description).toBe("C:\\é")
    })
  )

  it.scoped("invalid UTF-8 gets replacement", () =>
    Effect.gen(function* () {
      const dir = yield* withTempDir
      const file = join(dir, "api.json")
      const [before, after] = specWith("MARK", "p", "v").split("MARK")
      const bytes = Buffer.concat([utf8(before ?? ""), Buffer.from([0xff]), utf8(after ?? "")])
      yield* Effect.promise(() => writeFile(file, bytes))
      const spec = yield* load(file)
      expect(op(spec, "items").description).toBe("\ufffd")
    })
  )
})

describe("reading spec files", () => {
  it.scoped("file larger than one read", () =>
    Effect.gen(function* () {
      const dir = yield* withTempDir
      const file = join(dir, "api.json")
      // About 5 MB, so that it takes several 2 MiB reads.
      const paths: Record<string, unknown> = {}
      for (let i = 0; i < 20_000; i++) {
        paths[`/items/${i}`] = {
          get: { operationId: `item${i}`, description: "x".repeat(200), responses: {} }
        }
      }
      const text = JSON.stringify({ openapi: "3.0.3", info: { title: "t", version: "1" }, paths })
      yield* Effect.promise(() => writeFile(file, text))
      const bytes = yield* Effect.promise(() => readFile(file))
      expect(bytes.length).toBeGreaterThan(4 * 1024 * 1024)
      const spec = yield* load(file)
      expect(spec.operations.length).toBe(20_000)
      expect(op(spec, "item19999").path).toBe("/items/19999")
      expect(spec.contentHash).toBe(createHash("sha256").update(bytes).digest("hex"))
    })
  )

  it.scoped.skipIf(process.platform === "win32")("named pipe read to its end", () =>
    Effect.gen(function* () {
      const dir = yield* withTempDir
      const fifo = join(dir, "api.json")
      execFileSync("mkfifo", [fifo])
      const text = specWith("from a pipe", "p", "v")
      // Opening a pipe for writing waits for the reader, so the write runs beside the load.
      const writing = writeFile(fifo, text)
      const spec = yield* load(fifo)
      yield* Effect.promise(() => writing)
      expect(op(spec, "items").description).toBe("from a pipe")
      expect(spec.contentHash).toBe(createHash("sha256").update(text).digest("hex"))
    })
  )
})

describe("textMayHaveExternalRefs", () => {
  it("local references only", () => {
    expect(textMayHaveExternalRefs('{"$ref": "#/a"}, {"$ref":"#/b"}')).toBe(false)
    expect(textMayHaveExternalRefs('{"description": "no refs"}')).toBe(false)
  })

  it("external reference after local ones", () => {
    expect(textMayHaveExternalRefs('{"$ref": "#/a"}, {"$ref": "#/b"}, {"$ref": "other.json#/c"}')).toBe(true)
  })

  it("YAML external reference", () => {
    expect(textMayHaveExternalRefs("schema:\n  $ref: ./pet.yaml\n")).toBe(true)
    expect(textMayHaveExternalRefs("schema:\n  $ref: '#/components/schemas/Pet'\n")).toBe(false)
  })
})
