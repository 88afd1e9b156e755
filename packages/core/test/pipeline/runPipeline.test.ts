/**
 * `runPipeline` with the in-memory defaults against real HTTP servers on 127.0.0.1: event order,
 * the run store, grouped findings, cancellation, configuration errors, broken operations, filters,
 * seeds and secrets. Tests use `scopedLive` because real sockets and timers need the real clock.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, Fiber, Option, Redacted, Stream, Tracer } from "effect"
import type { CheckName } from "../../src/check/Check.js"
import { layerDefaults } from "../../src/pipeline/layers.js"
import type { RunConfig } from "../../src/pipeline/RunConfig.js"
import { runPipeline } from "../../src/pipeline/runPipeline.js"
import { EventBus } from "../../src/ports/EventBus.js"
import { RunStore } from "../../src/ports/RunStore.js"
import type { RunEvent } from "../../src/run/RunEvent.js"
import { type Handler, startServer } from "../execute/server.js"

const json =
  (status: number, body: unknown): Handler =>
  (_request, response) => {
    response.writeHead(status, { "content-type": "application/json" })
    response.end(JSON.stringify(body))
  }

/** Items API: list, read and create items. `okServer` sends only declared statuses. */
const itemsSpec = (extra: Record<string, unknown> = {}) => ({
  document: {
    openapi: "3.0.3",
    info: { title: "Items", version: "1.0.0" },
    paths: {
      "/items": {
        get: {
          operationId: "listItems",
          tags: ["items"],
          parameters: [{ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 50 } }],
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { type: "object" } } }
            },
            "400": { description: "bad input" }
          }
        },
        post: {
          operationId: "createItem",
          tags: ["write"],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["name"],
                  properties: { name: { type: "string", minLength: 1, maxLength: 20 } }
                }
              }
            }
          },
          responses: {
            "201": {
              description: "created",
              content: { "application/json": { schema: { type: "object" } } }
            },
            "400": { description: "bad input" }
          }
        }
      },
      "/items/{itemId}": {
        get: {
          operationId: "getItem",
          tags: ["items"],
          parameters: [
            { name: "itemId", in: "path", required: true, schema: { type: "integer", minimum: 1 } }
          ],
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { type: "object" } } }
            },
            "400": { description: "bad input" },
            "404": { description: "not found" }
          }
        }
      },
      ...extra
    }
  },
  location: "memory://items.json"
})

/** Wraps the paths of a small OpenAPI 3.0 document titled `title` as an in-memory spec. */
const specOf = (title: string, paths: Record<string, unknown>) => ({
  document: { openapi: "3.0.3", info: { title, version: "1.0.0" }, paths },
  location: `memory://${title.toLowerCase()}.json`
})

/** Returns the items spec with one entry in `servers`. */
const withServers = (url: string) => {
  const spec = itemsSpec()
  return { ...spec, document: { ...spec.document, servers: [{ url }] } }
}

const okServer: Handler = (request, response) =>
  json(request.method === "POST" ? 201 : 200, { ok: true })(request, response, Buffer.alloc(0))

/** Responds like `okServer` after 200 ms, so a run can be stopped while it waits. */
const slowOkServer: Handler = (request, response) => {
  setTimeout(() => okServer(request, response, Buffer.alloc(0)), 200)
}

const baseConfig = (baseUrl: string, overrides: Partial<RunConfig> = {}): RunConfig => ({
  spec: itemsSpec(),
  baseUrl,
  seed: 11,
  ...overrides
})

/** Runs the pipeline while collecting the run's events from the bus, subscribed before the start. */
const runCollecting = (config: RunConfig & { runId: string }) =>
  Effect.gen(function* () {
    const bus = yield* EventBus
    const stream = yield* bus.subscribe(config.runId)
    const collecting = yield* stream.pipe(
      Stream.takeUntil((event) => event._tag === "RunFinished"),
      Stream.runCollect,
      Effect.fork
    )
    const report = yield* runPipeline(config)
    const events = Chunk.toReadonlyArray(yield* Fiber.join(collecting))
    return { report, events }
  })

const ofTag = <T extends RunEvent["_tag"]>(events: ReadonlyArray<RunEvent>, tag: T) =>
  events.filter((event): event is Extract<RunEvent, { _tag: T }> => event._tag === tag)

describe("runPipeline", () => {
  it.scopedLive("events arrive in order", () =>
    Effect.gen(function* () {
      const server = yield* startServer(okServer)
      const { report, events } = yield* runCollecting({ ...baseConfig(server.baseUrl), runId: "run-order" })

      expect(events.length).toBeGreaterThan(3)
      expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1))
      expect(events[0]?._tag).toBe("RunStarted")
      expect(events[1]?._tag).toBe("OperationsPlanned")
      expect(events.at(-1)?._tag).toBe("RunFinished")
      expect(ofTag(events, "RunStarted")).toHaveLength(1)
      expect(ofTag(events, "RunFinished")).toHaveLength(1)
      expect(ofTag(events, "StepExecuted")).toHaveLength(report.summary.steps)
      expect(ofTag(events, "ScenarioGenerated")).toHaveLength(report.summary.scenarios)
      expect(server.received).toHaveLength(report.summary.steps)
      // The server accepts invalid input too, so negative_data_rejection findings make the run fail.
      expect(ofTag(events, "FindingRecorded")).toHaveLength(report.findings.length)
      expect(report.run.status).toBe(report.findings.length > 0 ? "failed" : "passed")
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("run store keeps report and events", () =>
    Effect.gen(function* () {
      const server = yield* startServer(okServer)
      const { report, events } = yield* runCollecting({ ...baseConfig(server.baseUrl), runId: "run-store" })
      const store = yield* RunStore

      const saved = yield* store.getReport("run-store")
      expect(Option.getOrThrow(saved)).toEqual(report)
      const all = yield* store.readEvents("run-store", 0)
      expect(all).toEqual(events)
      const afterThree = yield* store.readEvents("run-store", 3)
      expect(afterThree.map((event) => event.sequence)).toEqual(
        events.slice(3).map((event) => event.sequence)
      )
      expect(yield* store.readEvents("run-store", events.length)).toEqual([])
      expect(yield* store.readEvents("no-such-run", 0)).toEqual([])
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("caller tracer gets step spans", () =>
    Effect.gen(function* () {
      const server = yield* startServer(okServer)
      const names: Array<string> = []
      const builtIn = yield* Effect.tracer
      // Records span names and otherwise behaves as the built-in tracer.
      const recording = Tracer.make({
        span: (name, parent, context, links, startTime, kind, options) => {
          names.push(name)
          return builtIn.span(name, parent, context, links, startTime, kind, options)
        },
        context: builtIn.context
      })
      const report = yield* runPipeline(baseConfig(server.baseUrl)).pipe(Effect.withTracer(recording))

      const count = (name: string) => names.filter((item) => item === name).length
      expect(count("Pipeline.runScenario")).toBe(report.summary.scenarios)
      expect(count("Executor.execute")).toBe(report.summary.steps)
      expect(count("Pipeline.run")).toBe(1)
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("run's own timeout applies", () =>
    Effect.gen(function* () {
      const server = yield* startServer(slowOkServer)
      // The layer keeps its 30 s default; the run's 50 ms must still cut every request short.
      const report = yield* runPipeline(
        baseConfig(server.baseUrl, { requestTimeoutMs: 50, maxScenariosPerOperation: 1 })
      )

      expect(report.summary.steps).toBeGreaterThan(0)
      expect(report.summary.failedRequests).toBe(report.summary.steps)
      expect(report.run.reason).toContain("request timeout (50 ms)")
      expect(report.run.reason).toContain("raise the request timeout")
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("warns when connections cap concurrency", () =>
    Effect.gen(function* () {
      const server = yield* startServer(okServer)
      const report = yield* runPipeline(
        baseConfig(server.baseUrl, { concurrency: 25, maxScenariosPerOperation: 1 })
      )

      expect(report.notes[0]).toMatch(
        /^warning: concurrency is 25, but the executor opens at most 10 connections/
      )
    }).pipe(Effect.provide(layerDefaults()))
  )

  // An API that responds to every request with 404, under a base URL with or without the servers' prefix.
  const notFoundCases = [
    {
      name: "404s with a missing prefix error",
      server: "https://api.example.com/v1",
      basePath: "",
      status: "errored",
      text: (baseUrl: string) =>
        `every response was 404 Not Found. The spec's servers use the path /v1, which the base URL ${baseUrl} lacks; try the base URL ${baseUrl}/v1.`
    },
    {
      name: "404s with another prefix error",
      server: "https://api.example.com/v1",
      basePath: "/v2",
      status: "errored",
      text: (baseUrl: string) =>
        `try the base URL ${baseUrl}/v1, or ${baseUrl}/v2/v1 if /v2 is a gateway's prefix`
    },
    {
      name: "404s with the prefix warn only",
      server: "/v1",
      basePath: "/v1",
      status: "failed",
      text: () =>
        "warning: every response was 404 Not Found; check that the base URL includes the API's path prefix, if it has one"
    }
  ] as const
  for (const { name, server: servers, basePath, status, text } of notFoundCases) {
    it.scopedLive(name, () =>
      Effect.gen(function* () {
        const server = yield* startServer(json(404, { error: "no route" }))
        const spec = withServers(servers)
        const report = yield* runPipeline(
          baseConfig(`${server.baseUrl}${basePath}`, { spec, maxScenariosPerOperation: 2 })
        )

        expect(report.run.status).toBe(status)
        const reported = status === "errored" ? (report.run.reason ?? "") : report.notes.join("\n")
        expect(reported).toContain(text(server.baseUrl))
      }).pipe(Effect.provide(layerDefaults()))
    )
  }

  it.scopedLive("404s on generated ids warn", () =>
    Effect.gen(function* () {
      // No item exists, so every item id gets 404, while the collection responds with 200.
      const server = yield* startServer((request, response) =>
        request.url?.startsWith("/items/")
          ? json(404, { error: "no such item" })(request, response, Buffer.alloc(0))
          : okServer(request, response, Buffer.alloc(0))
      )
      const report = yield* runPipeline(baseConfig(server.baseUrl, { maxScenariosPerOperation: 4 }))

      expect(report.notes).toContain(
        "warning: every valid request to getItem with path values not taken from an earlier response got 404, so its path parameters (itemId) named no existing resource; give them examples of resources that exist in the API under test"
      )
      expect(report.notes.filter((note) => note.includes("got 404"))).toHaveLength(1)
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("created ids reach nested bugs", () =>
    Effect.gen(function* () {
      // Lists exist only once created, and the largest page of an existing list's items fails with 500.
      const lists = new Set<number>()
      const server = yield* startServer((request, response) => {
        const body = (status: number, value: unknown) =>
          json(status, value)(request, response, Buffer.alloc(0))
        if (request.method === "POST" && request.url === "/lists") {
          const id = lists.size + 1
          lists.add(id)
          return body(201, { id, name: "list" })
        }
        const match = /^\/lists\/(\d+)\/items/.exec(request.url ?? "")
        if (match === null || !lists.has(Number(match[1]))) return body(404, { error: "no such list" })
        return request.url?.includes("limit=10") ? body(500, { error: "boom" }) : body(200, [])
      })
      const spec = specOf("Lists", {
        "/lists": {
          post: {
            operationId: "createList",
            requestBody: {
              required: true,
              content: {
                "application/json": {
                  schema: { type: "object", properties: { name: { type: "string" } } }
                }
              }
            },
            responses: {
              "201": {
                description: "created",
                content: {
                  "application/json": {
                    schema: { type: "object", properties: { id: { type: "integer" } } }
                  }
                }
              }
            }
          }
        },
        "/lists/{listId}": {
          get: {
            operationId: "getList",
            parameters: [
              { name: "listId", in: "path", required: true, schema: { type: "integer", minimum: 1 } }
            ],
            responses: { "200": { description: "ok" }, "404": { description: "not found" } }
          }
        },
        "/lists/{listId}/items": {
          get: {
            operationId: "listItems",
            parameters: [
              { name: "listId", in: "path", required: true, schema: { type: "integer", minimum: 1000 } },
              { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 10 } }
            ],
            responses: { "200": { description: "ok" }, "404": { description: "not found" } }
          }
        }
      })
      const report = yield* runPipeline(baseConfig(server.baseUrl, { spec, maxScenariosPerOperation: 6 }))
      const serverErrors = report.findings.filter((finding) => finding.check === "not_a_server_error")

      // A listId of at least 1000 never names a created list, and the flow that creates a list sends no
      // limit, so only a boundary case with a created id reaches the bug.
      expect(serverErrors.map((finding) => finding.operationId)).toContain("listItems")
      // The finding replays from a fresh server: the list's create comes first, with its curl line.
      const nested = serverErrors.find((finding) => finding.operationId === "listItems")
      const [create] = nested?.stepsBefore ?? []
      expect(create?.request.method).toBe("POST")
      expect(create?.request.url).toBe(`${server.baseUrl}/lists`)
      expect(create?.status).toBe(201)
      expect(create?.curl).toContain("-X 'POST'")
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("flows create with distinct keys", () =>
    Effect.gen(function* () {
      // Emails are unique (409 on a repeat), and a deleted user is still served: a use-after-free bug.
      const users = new Map<number, { email: string; deleted: boolean }>()
      const server = yield* startServer((request, response, raw) => {
        const body = (status: number, value: unknown) =>
          json(status, value)(request, response, Buffer.alloc(0))
        if (request.method === "POST" && request.url === "/users") {
          const email = String((JSON.parse(raw.toString() || "{}") as { email?: unknown }).email)
          if ([...users.values()].some((user) => user.email === email)) return body(409, { error: "taken" })
          const id = users.size + 1
          users.set(id, { email, deleted: false })
          return body(201, { id, email })
        }
        const user = users.get(Number(/^\/users\/(\d+)$/.exec(request.url ?? "")?.[1]))
        if (user === undefined) return body(404, { error: "no such user" })
        if (request.method === "DELETE") {
          user.deleted = true
          response.writeHead(204)
          return response.end()
        }
        return body(200, { id: 1, email: user.email })
      })
      const idParameter = { name: "userId", in: "path", required: true, schema: { type: "integer" } }
      const userSchema = {
        type: "object",
        properties: { id: { type: "integer" }, email: { type: "string" } }
      }
      const spec = specOf("Users", {
        "/users": {
          post: {
            operationId: "createUser",
            requestBody: {
              required: true,
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["email"],
                    properties: { email: { type: "string", format: "email", example: "ada@example.com" } }
                  }
                }
              }
            },
            responses: {
              "201": { description: "created", content: { "application/json": { schema: userSchema } } },
              "409": { description: "email taken" }
            }
          }
        },
        "/users/{userId}": {
          get: {
            operationId: "getUser",
            parameters: [idParameter],
            responses: {
              "200": { description: "ok", content: { "application/json": { schema: userSchema } } },
              "404": { description: "not found" }
            }
          },
          delete: {
            operationId: "deleteUser",
            parameters: [idParameter],
            responses: { "204": { description: "deleted" }, "404": { description: "not found" } }
          }
        }
      })
      const report = yield* runPipeline(baseConfig(server.baseUrl, { spec, maxScenariosPerOperation: 4 }))

      // The single-step create took the example email first, so a flow that sent it again would stop at 409.
      expect(report.notes.filter((note) => note.includes("409"))).toEqual([])
      // Create then read, and create, delete, read.
      expect(report.summary.flows).toEqual({ run: 2, stopped: 0 })
      expect(report.findings.map((finding) => finding.check)).toContain("use_after_free")
      const emails = [...users.values()].map((user) => user.email)
      expect(new Set(emails).size).toBe(emails.length)
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("spec warnings reach the notes", () =>
    Effect.gen(function* () {
      const server = yield* startServer(okServer)
      // Two operations declare no responses, so none of their responses can be judged, and a schema has
      // a misspelt type, which is ignored.
      const items = itemsSpec({
        "/labels": { get: { operationId: "listLabels", tags: ["other"] } },
        "/badges": { get: { operationId: "listBadges", tags: ["items"] } },
        "/tags": {
          get: {
            operationId: "listTags",
            tags: ["items"],
            responses: {
              "200": {
                description: "ok",
                content: { "application/json": { schema: { $ref: "#/components/schemas/Tag" } } }
              }
            }
          }
        }
      })
      const spec = {
        ...items,
        document: {
          ...items.document,
          components: { schemas: { Tag: { type: "object", properties: { name: { type: "strng" } } } } }
        }
      }
      const warningsOf = (report: { readonly notes: ReadonlyArray<string> }) =>
        report.notes.filter((note) => note.startsWith("warning: the spec has"))
      const all = warningsOf(yield* runPipeline(baseConfig(server.baseUrl, { spec })))
      expect(all).toHaveLength(1)
      expect(all[0]).toContain("the spec has 3 warnings:")
      expect(all[0]).toContain('has the unknown type "strng"')
      expect(all[0]).toContain("The operation at /paths/~1labels/get/responses declares no responses")
      expect(all[0]).toContain("/paths/~1badges/get/responses")
      expect(all[0]).toContain("qawave inspect")

      // A warning of an operation that a filter leaves out is not the run's concern.
      const filtered = warningsOf(
        yield* runPipeline(baseConfig(server.baseUrl, { spec, filter: { tags: ["items"] } }))
      )
      expect(filtered).toHaveLength(1)
      expect(filtered[0]).toContain("the spec has 2 warnings:")
      expect(filtered[0]).not.toContain("labels")

      const clean = warningsOf(yield* runPipeline(baseConfig(server.baseUrl)))
      expect(clean).toEqual([])
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("opaque cursor keeps its example", () =>
    Effect.gen(function* () {
      // Only a cursor the API issued is accepted. Any other is rejected with 400, as a correct API does.
      const server = yield* startServer((request, response) => {
        const cursor = new URL(request.url ?? "/", "http://localhost").searchParams.get("cursor")
        const status = cursor === null || cursor === "c2VlZA" ? 200 : 400
        json(status, status === 200 ? { data: [], next: null } : { error: "unknown cursor" })(
          request,
          response,
          Buffer.alloc(0)
        )
      })
      const specWith = (examples: Record<string, unknown>) =>
        specOf("Orders", {
          "/orders": {
            get: {
              operationId: "listOrders",
              parameters: [
                { name: "cursor", in: "query", schema: { type: "string", maxLength: 64 }, ...examples }
              ],
              responses: { "200": { description: "a page" }, "400": { description: "unknown cursor" } }
            }
          }
        })
      const withExample = yield* runPipeline(
        baseConfig(server.baseUrl, { spec: specWith({ example: "c2VlZA" }) })
      )
      expect(withExample.findings.map((finding) => finding.message)).toEqual([])

      // Without an example every made-up cursor is rejected, and the finding names what to add.
      const without = yield* runPipeline(baseConfig(server.baseUrl, { spec: specWith({}) }))
      const refused = without.findings.filter((finding) => finding.check === "positive_data_acceptance")
      expect(refused.length).toBeGreaterThan(0)
      expect(refused[0]?.message).toContain("give it an example in the spec")
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("dropped connections are findings", () =>
    Effect.gen(function* () {
      // Creating an item crashes the request: the connection closes without a response.
      const server = yield* startServer((request, response) =>
        request.method === "POST" ? request.socket.destroy() : okServer(request, response, Buffer.alloc(0))
      )
      const report = yield* runPipeline(baseConfig(server.baseUrl, { maxScenariosPerOperation: 2 }))
      const dropped = report.findings.filter((finding) => finding.signature === "no response (network)")

      expect(report.run.status).toBe("failed")
      expect(dropped.map((finding) => finding.operationId)).toEqual(["createItem"])
      expect(dropped[0]?.check).toBe("not_a_server_error")
      expect(dropped[0]?.curl).toContain(`${server.baseUrl}/items`)
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("server errors grouped per operation", () =>
    Effect.gen(function* () {
      const server = yield* startServer(json(500, { error: "boom" }))
      const report = yield* runPipeline(baseConfig(server.baseUrl))
      const serverErrors = report.findings.filter((finding) => finding.check === "not_a_server_error")

      expect(serverErrors.map((finding) => finding.operationId).sort()).toEqual([
        "createItem",
        "getItem",
        "listItems"
      ])
      for (const finding of serverErrors) {
        expect(finding.count, finding.operationId).toBeGreaterThan(1)
        expect(finding.response?.status).toBe(500)
      }
      expect(report.run.status).toBe("failed")
      expect(report.summary.findings).toBe(report.findings.length)
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("abort signal cancels the run", () =>
    Effect.gen(function* () {
      const server = yield* startServer(slowOkServer)
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 700)
      const started = Date.now()
      const report = yield* runPipeline(
        baseConfig(server.baseUrl, { concurrency: 1, signal: controller.signal })
      )

      expect(report.run.status).toBe("cancelled")
      expect(report.run.reason).toContain("cancelled")
      expect(report.summary.steps).toBeGreaterThan(0)
      expect(report.summary.steps).toBeLessThan(server.received.length + 2)
      expect(Date.now() - started).toBeLessThan(3_000)
      expect(report.coverage.some((entry) => entry.statusesSeen.length > 0)).toBe(true)
    }).pipe(Effect.provide(layerDefaults({ concurrency: 1 })))
  )

  it.scopedLive("abort reason reaches the report", () =>
    Effect.gen(function* () {
      const server = yield* startServer(slowOkServer)
      const controller = new AbortController()
      setTimeout(() => controller.abort("stopped by the test"), 300)
      const report = yield* runPipeline(
        baseConfig(server.baseUrl, { concurrency: 1, signal: controller.signal })
      )

      expect(report.run.status).toBe("cancelled")
      expect(report.run.reason).toBe("stopped by the test")
    }).pipe(Effect.provide(layerDefaults({ concurrency: 1 })))
  )

  it.scopedLive("deadline cancels the run", () =>
    Effect.gen(function* () {
      const server = yield* startServer(slowOkServer)
      const report = yield* runPipeline(baseConfig(server.baseUrl, { concurrency: 1, deadlineMs: 500 }))

      expect(report.run.status).toBe("cancelled")
      expect(report.run.reason).toContain("500 ms")
      expect(report.summary.steps).toBeGreaterThan(0)
    }).pipe(Effect.provide(layerDefaults({ concurrency: 1 })))
  )

  it.scopedLive("deadline before any response errors", () =>
    Effect.gen(function* () {
      const stalled: Handler = (request, response) => {
        setTimeout(() => okServer(request, response, Buffer.alloc(0)), 2_000)
      }
      const server = yield* startServer(stalled)
      const report = yield* runPipeline(baseConfig(server.baseUrl, { concurrency: 1, deadlineMs: 300 }))

      expect(report.run.status).toBe("errored")
      expect(report.run.reason).toContain("before any request got a response")
      expect(report.summary.steps).toBe(0)
    }).pipe(Effect.provide(layerDefaults({ concurrency: 1 })))
  )

  describe("invalid configuration", () => {
    const cases: ReadonlyArray<readonly [string, Partial<RunConfig>, string]> = [
      ["bad base URL", { baseUrl: "not a url" }, "not a url"],
      ["ftp base URL", { baseUrl: "ftp://127.0.0.1/" }, "ftp:"],
      ["zero concurrency", { concurrency: 0 }, "concurrency"],
      ["unknown check", { includeChecks: ["no_such_check" as CheckName] }, "no_such_check"],
      ["negative deadline", { deadlineMs: -5 }, "-5"]
    ]
    for (const [name, overrides, named] of cases) {
      it.effect(name, () =>
        Effect.gen(function* () {
          const result = yield* Effect.either(runPipeline(baseConfig("http://127.0.0.1:9", overrides)))
          const error = Either.getLeft(result).pipe(Option.getOrThrow)
          expect(error._tag).toBe("RunError")
          expect(error.message).toContain(named)
        }).pipe(Effect.provide(layerDefaults()))
      )
    }
  })

  it.scopedLive("broken operation is left out", () =>
    Effect.gen(function* () {
      const server = yield* startServer(okServer)
      const spec = itemsSpec({
        "/broken": {
          post: {
            operationId: "brokenOperation",
            requestBody: {
              content: { "application/json": { schema: { $ref: "#/components/schemas/Missing" } } }
            },
            responses: { "200": { description: "ok" } }
          }
        }
      })
      const report = yield* runPipeline(baseConfig(server.baseUrl, { spec }))

      expect(report.coverage.map((entry) => entry.operationId).sort()).toEqual([
        "createItem",
        "getItem",
        "listItems"
      ])
      expect(report.summary.skippedOperations).toBe(1)
      expect(report.notes.some((note) => note.startsWith("brokenOperation left out"))).toBe(true)
      expect(report.leftOut?.map((entry) => entry.operationId)).toEqual(["brokenOperation"])
      expect(server.received.some((request) => request.url.startsWith("/broken"))).toBe(false)
      expect(report.summary.steps).toBeGreaterThan(0)
    }).pipe(Effect.provide(layerDefaults()))
  )

  describe("filters", () => {
    const cases: ReadonlyArray<readonly [string, RunConfig["filter"], ReadonlyArray<string>]> = [
      ["operation ids", { operationIds: ["getItem"] }, ["getItem"]],
      ["tags", { tags: ["items"] }, ["getItem", "listItems"]],
      ["path wildcard", { paths: ["/items/*"] }, ["getItem"]],
      ["exact path", { paths: ["/items"] }, ["createItem", "listItems"]]
    ]
    for (const [name, filter, expected] of cases) {
      it.scopedLive(name, () =>
        Effect.gen(function* () {
          const server = yield* startServer(okServer)
          const report = yield* runPipeline(baseConfig(server.baseUrl, { filter: filter ?? {} }))

          expect(report.coverage.map((entry) => entry.operationId).sort()).toEqual(expected)
          const methods = new Set(server.received.map((request) => request.method))
          expect(methods.has("POST")).toBe(expected.includes("createItem"))
        }).pipe(Effect.provide(layerDefaults()))
      )
    }

    it.effect("filter matching nothing fails", () =>
      Effect.gen(function* () {
        const result = yield* Effect.either(
          runPipeline(baseConfig("http://127.0.0.1:9", { filter: { tags: ["no-such-tag"] } }))
        )
        const error = Either.getLeft(result).pipe(Option.getOrThrow)
        expect(error._tag).toBe("RunError")
        expect(error.reason).toBe("NoOperations")
      }).pipe(Effect.provide(layerDefaults()))
    )
  })

  it.scopedLive("same seed same scenarios", () =>
    Effect.gen(function* () {
      const server = yield* startServer(okServer)
      const scenarioIds = (events: ReadonlyArray<RunEvent>) =>
        ofTag(events, "ScenarioGenerated")
          .map((event) => event.scenarioId)
          .sort()
      const stepUrls = (events: ReadonlyArray<RunEvent>) =>
        ofTag(events, "StepExecuted")
          .map((event) => `${event.scenarioId} ${event.method} ${event.url}`)
          .sort()

      const first = yield* runCollecting({ ...baseConfig(server.baseUrl, { seed: 5 }), runId: "seed-a" })
      const second = yield* runCollecting({ ...baseConfig(server.baseUrl, { seed: 5 }), runId: "seed-b" })
      const other = yield* runCollecting({ ...baseConfig(server.baseUrl, { seed: 6 }), runId: "seed-c" })

      expect(scenarioIds(first.events).length).toBeGreaterThan(0)
      expect(scenarioIds(second.events)).toEqual(scenarioIds(first.events))
      expect(stepUrls(second.events)).toEqual(stepUrls(first.events))
      // A different seed must change some generated value, or the comparison above proves nothing.
      expect(stepUrls(other.events)).not.toEqual(stepUrls(first.events))
    }).pipe(Effect.provide(layerDefaults()))
  )

  it.scopedLive("secrets stay out of output", () =>
    Effect.gen(function* () {
      const token = "tok-SECRET-4e1f9a"
      const headerSecret = "hdr-SECRET-77b2"
      const server = yield* startServer(json(500, { error: "boom" }))
      const spec = itemsSpec()
      const document = {
        ...spec.document,
        components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
        security: [{ bearerAuth: [] }]
      }
      const { report, events } = yield* runCollecting({
        ...baseConfig(server.baseUrl, {
          spec: { document, location: spec.location },
          credentials: { bearer: Redacted.make(token) },
          headers: { "X-Tenant-Secret": Redacted.make(headerSecret), "X-Plain": "visible" }
        }),
        runId: "run-secrets"
      })

      const sentToken = server.received.some((request) => request.headers.authorization === `Bearer ${token}`)
      expect(sentToken, "the server never received the token").toBe(true)
      expect(server.received.some((request) => request.headers["x-tenant-secret"] === headerSecret)).toBe(
        true
      )
      expect(report.findings.length).toBeGreaterThan(0)
      const serialized = JSON.stringify({ report, events })
      expect(serialized).not.toContain(token)
      expect(serialized).not.toContain(headerSecret)
      expect(serialized).toContain("visible")
    }).pipe(Effect.provide(layerDefaults()))
  )
})
