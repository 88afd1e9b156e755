/**
 * The OpenAPI style/explode table, asserted on what a real server receives.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { Executor } from "../../src/execute/Executor.js"
import { encodeRequest } from "../../src/execute/encode.js"
import type { ParameterLocation, ParameterStyle } from "../../src/spec/model.js"
import { encodeOrDie, operation, parameter, request } from "./fixtures.js"
import { startServer } from "./server.js"

const values = {
  primitive: 5,
  array: [3, 4, 5],
  object: { role: "admin", firstName: "Alex" }
} as const

type Shape = keyof typeof values

interface Row {
  readonly location: ParameterLocation
  readonly style: ParameterStyle
  readonly explode: boolean
  readonly shape: Shape
  /** For path and query: the request target after `/items/` or `?`; for header and cookie: the field value. */
  readonly expected: string
}

const row = (
  location: ParameterLocation,
  style: ParameterStyle,
  explode: boolean,
  expected: Record<Shape, string>
) =>
  (Object.keys(expected) as Array<Shape>).map(
    (shape): Row => ({ location, style, explode, shape, expected: expected[shape] })
  )

const table: ReadonlyArray<Row> = [
  ...row("path", "simple", false, { primitive: "5", array: "3,4,5", object: "role,admin,firstName,Alex" }),
  ...row("path", "simple", true, { primitive: "5", array: "3,4,5", object: "role=admin,firstName=Alex" }),
  ...row("path", "label", false, { primitive: ".5", array: ".3,4,5", object: ".role,admin,firstName,Alex" }),
  ...row("path", "label", true, { primitive: ".5", array: ".3.4.5", object: ".role=admin.firstName=Alex" }),
  ...row("path", "matrix", false, {
    primitive: ";id=5",
    array: ";id=3,4,5",
    object: ";id=role,admin,firstName,Alex"
  }),
  ...row("path", "matrix", true, {
    primitive: ";id=5",
    array: ";id=3;id=4;id=5",
    object: ";role=admin;firstName=Alex"
  }),
  ...row("query", "form", false, {
    primitive: "id=5",
    array: "id=3,4,5",
    object: "id=role,admin,firstName,Alex"
  }),
  ...row("query", "form", true, {
    primitive: "id=5",
    array: "id=3&id=4&id=5",
    object: "role=admin&firstName=Alex"
  }),
  ...row("query", "spaceDelimited", false, {
    primitive: "id=5",
    array: "id=3%204%205",
    object: "id=role%20admin%20firstName%20Alex"
  }),
  ...row("query", "spaceDelimited", true, {
    primitive: "id=5",
    array: "id=3&id=4&id=5",
    object: "role=admin&firstName=Alex"
  }),
  ...row("query", "pipeDelimited", false, {
    primitive: "id=5",
    array: "id=3%7C4%7C5",
    object: "id=role%7Cadmin%7CfirstName%7CAlex"
  }),
  ...row("query", "pipeDelimited", true, {
    primitive: "id=5",
    array: "id=3&id=4&id=5",
    object: "role=admin&firstName=Alex"
  }),
  {
    location: "query",
    style: "deepObject",
    explode: true,
    shape: "object",
    expected: "id%5Brole%5D=admin&id%5BfirstName%5D=Alex"
  },
  ...row("header", "simple", false, { primitive: "5", array: "3,4,5", object: "role,admin,firstName,Alex" }),
  ...row("header", "simple", true, { primitive: "5", array: "3,4,5", object: "role=admin,firstName=Alex" }),
  ...row("cookie", "form", false, {
    primitive: "id=5",
    array: "id=3,4,5",
    object: "id=role,admin,firstName,Alex"
  }),
  ...row("cookie", "form", true, {
    primitive: "id=5",
    array: "id=3; id=4; id=5",
    object: "role=admin; firstName=Alex"
  })
]

const stepFor = (location: ParameterLocation, value: unknown) => {
  switch (location) {
    case "path":
      return request({ pathParams: { id: value } })
    case "query":
      return request({ query: { id: value } })
    case "header":
      return request({ headers: { "X-Id": value } })
    case "cookie":
      return request({ cookies: { id: value } })
  }
}

describe("parameter styles on the wire", () => {
  for (const entry of table) {
    const name = `${entry.location} ${entry.style} explode=${entry.explode} ${entry.shape}`
    it.scopedLive(name, () =>
      Effect.gen(function* () {
        const server = yield* startServer()
        const paramName = entry.location === "header" ? "X-Id" : "id"
        const op = operation({
          path: entry.location === "path" ? "/items/{id}" : "/items",
          parameters: [parameter(paramName, entry.location, entry.style, entry.explode)]
        })
        const encoded = yield* encodeOrDie(op, stepFor(entry.location, values[entry.shape]), {
          baseUrl: server.baseUrl
        })
        const executor = yield* Executor
        const exchange = yield* executor.execute(encoded, { targetKey: server.baseUrl })

        expect(exchange.response?.status).toBe(200)
        const received = server.received[0]!
        switch (entry.location) {
          case "path":
            expect(received.url).toBe(`/items/${entry.expected}`)
            break
          case "query":
            expect(received.url).toBe(`/items?${entry.expected}`)
            break
          case "header":
            expect(received.headers["x-id"]).toBe(entry.expected)
            break
          case "cookie":
            expect(received.headers.cookie).toBe(entry.expected)
            break
        }
      }).pipe(Effect.provide(Executor.layer()))
    )
  }
})

describe("query values as a server parses them", () => {
  it.scopedLive("deepObject nested keys", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = operation({ parameters: [parameter("filter", "query", "deepObject", true)] })
      const step = request({ query: { filter: { color: "red blue", size: { min: 1 } } } })
      const encoded = yield* encodeOrDie(op, step, { baseUrl: server.baseUrl })
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      const params = new URL(server.received[0]!.url, server.baseUrl).searchParams
      expect(params.get("filter[color]")).toBe("red blue")
      expect(params.get("filter[size][min]")).toBe("1")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("reserved characters encoded", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = operation({ parameters: [parameter("q", "query", "form", true)] })
      const value = "a/b?c=d&e#f+g h%zz"
      const encoded = yield* encodeOrDie(op, request({ query: { q: value } }), { baseUrl: server.baseUrl })
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      const received = server.received[0]!.url
      expect(received).toBe("/items?q=a%2Fb%3Fc%3Dd%26e%23f%2Bg%20h%25zz")
      expect(new URL(received, server.baseUrl).searchParams.get("q")).toBe(value)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("allowReserved keeps reserved characters", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = operation({ parameters: [parameter("q", "query", "form", true, true)] })
      const encoded = yield* encodeOrDie(op, request({ query: { q: "a/b?c:d@e!$,;#[x] %41" } }), {
        baseUrl: server.baseUrl
      })
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      // `#`, `[`, `]` and space are not allowed in a query even with allowReserved; `%41` stays.
      expect(server.received[0]!.url).toBe("/items?q=a/b?c:d@e!$,;%23%5Bx%5D%20%41")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("non-ASCII values as UTF-8", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = operation({ parameters: [parameter("q", "query", "form", true)] })
      const encoded = yield* encodeOrDie(op, request({ query: { q: "é😀" } }), { baseUrl: server.baseUrl })
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      expect(server.received[0]!.url).toBe("/items?q=%C3%A9%F0%9F%98%80")
    }).pipe(Effect.provide(Executor.layer()))
  )
})

describe("path values stay one segment", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["a/b", "a%2Fb"],
    ["a?b", "a%3Fb"],
    ["a#b", "a%23b"],
    ["100%", "100%25"],
    ["a b", "a%20b"],
    ["..", "%2E%2E"],
    [".", "%2E"],
    ["../../admin", "..%2F..%2Fadmin"],
    ["%2E%2E", "%252E%252E"],
    ["é", "%C3%A9"]
  ]
  for (const [value, segment] of cases) {
    it.scopedLive(`path value ${JSON.stringify(value)}`, () =>
      Effect.gen(function* () {
        const server = yield* startServer()
        const op = operation({
          path: "/items/{id}/detail",
          parameters: [parameter("id", "path", "simple", false)]
        })
        const encoded = yield* encodeOrDie(op, request({ pathParams: { id: value } }), {
          baseUrl: `${server.baseUrl}/api/v1`
        })
        yield* (yield* Executor).execute(encoded, { targetKey: "t" })

        const received = server.received[0]!.url
        expect(received).toBe(`/api/v1/items/${segment}/detail`)
        const segments = received.split("/")
        expect(segments).toHaveLength(6)
        expect(decodeURIComponent(segments[4]!)).toBe(value)
      }).pipe(Effect.provide(Executor.layer()))
    )
  }

  it.effect("missing path value rejected", () =>
    Effect.sync(() => {
      const op = operation({ path: "/items/{id}", parameters: [parameter("id", "path", "simple", false)] })
      const result = encodeRequest(op, request(), { baseUrl: "http://127.0.0.1:1" })

      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left.location).toBe("path")
        expect(result.left.parameter).toBe("id")
      }
    })
  )

  it.effect("base URL trailing slash joined once", () =>
    Effect.sync(() => {
      const op = operation({ path: "/items" })
      const result = encodeRequest(op, request(), { baseUrl: "http://127.0.0.1:1/api/" })

      expect(Either.getOrThrow(result).url).toBe("http://127.0.0.1:1/api/items")
    })
  )
})

describe("header values HTTP cannot carry", () => {
  const rejected: ReadonlyArray<readonly [string, string]> = [
    ["CR LF", "a\r\nX-Injected: 1"],
    ["LF", "a\nb"],
    ["NUL", "a\u0000b"],
    ["non-Latin-1", "price €"]
  ]
  for (const [label, value] of rejected) {
    it.effect(`header with ${label} rejected`, () =>
      Effect.sync(() => {
        const op = operation({ parameters: [parameter("X-Note", "header", "simple", false)] })
        const result = encodeRequest(op, request({ headers: { "X-Note": value } }), {
          baseUrl: "http://127.0.0.1:1"
        })

        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) {
          expect(result.left._tag).toBe("EncodingError")
          expect(result.left.parameter).toBe("X-Note")
          expect(result.left.message).toContain("X-Note")
        }
      })
    )
  }

  it.scopedLive("Latin-1 header value sent", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const op = operation({ parameters: [parameter("X-Note", "header", "simple", false)] })
      const encoded = yield* encodeOrDie(op, request({ headers: { "X-Note": "café\tau lait" } }), {
        baseUrl: server.baseUrl
      })
      yield* (yield* Executor).execute(encoded, { targetKey: "t" })

      expect(server.received[0]!.headers["x-note"]).toBe("café\tau lait")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.effect("invalid header name rejected", () =>
    Effect.sync(() => {
      const result = encodeRequest(operation(), request({ headers: { "Bad Name": "x" } }), {
        baseUrl: "http://127.0.0.1:1"
      })

      expect(Either.isLeft(result)).toBe(true)
    })
  )
})

describe("values with a lone UTF-16 surrogate", () => {
  const lone = "a\uD800b"
  const cases: ReadonlyArray<readonly [string, ParameterLocation, ParameterStyle, unknown]> = [
    ["query string", "query", "form", lone],
    ["query array item", "query", "form", ["ok", lone]],
    ["query object key", "query", "deepObject", { [lone]: "x" }],
    ["query object value", "query", "deepObject", { name: { inner: lone } }],
    ["path value", "path", "simple", lone],
    ["cookie value", "cookie", "form", lone]
  ]
  for (const [label, location, style, value] of cases) {
    it.effect(`${label} rejected`, () =>
      Effect.sync(() => {
        const op = operation({
          path: location === "path" ? "/items/{note}" : "/items",
          parameters: [parameter("note", location, style, style === "form")]
        })
        const bags = { path: "pathParams", query: "query", cookie: "cookies" } as const
        const bag = bags[location as keyof typeof bags]
        const result = encodeRequest(op, request({ [bag]: { note: value } }), {
          baseUrl: "http://127.0.0.1:1"
        })

        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) {
          expect(result.left.location).toBe(location)
          expect(result.left.parameter).toBe("note")
          expect(result.left.message).toContain("lone UTF-16 surrogate")
        }
      })
    )
  }

  it.effect("surrogate pair encoded as UTF-8", () =>
    Effect.sync(() => {
      const op = operation({ parameters: [parameter("note", "query", "form", true)] })
      const result = encodeRequest(op, request({ query: { note: ["😀", 1, true, null] } }), {
        baseUrl: "http://127.0.0.1:1"
      })

      expect(Either.getOrThrow(result).url).toBe(
        "http://127.0.0.1:1/items?note=%F0%9F%98%80&note=1&note=true&note="
      )
    })
  )
})
