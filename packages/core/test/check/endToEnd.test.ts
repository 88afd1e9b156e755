/**
 * Each check against a real HTTP server: one handler plants the bug and the check must catch it, the
 * fixed handler must pass. Requests go through the global fetch, and the exchange is built from the response.
 */
import type * as http from "node:http"
import { setTimeout as sleep } from "node:timers/promises"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { businessRule } from "../../src/check/businessRule.js"
import type { Check, CheckOptions, CheckOutcome } from "../../src/check/Check.js"
import { contentTypeConformance } from "../../src/check/contentType.js"
import {
  ignoredAuth,
  negativeDataRejection,
  positiveDataAcceptance,
  useAfterFree
} from "../../src/check/intentChecks.js"
import { parseResponseBody } from "../../src/check/response.js"
import { responseHeadersConformance } from "../../src/check/responseHeaders.js"
import { responseSchemaConformance } from "../../src/check/responseSchema.js"
import { maxResponseTime, notAServerError, statusCodeConformance } from "../../src/check/statusChecks.js"
import type { Scenario, Step } from "../../src/scenario/Scenario.js"
import type { JsonSchema, Operation } from "../../src/spec/model.js"
import {
  makeOperation,
  makeScenario,
  makeSpec,
  makeStep,
  mediaType,
  messageOf,
  response,
  signatureOf
} from "./fixtures.js"
import { json, readJson, type SendOptions, send, startServer } from "./http.js"

const spec = makeSpec({
  Item: {
    type: "object",
    required: ["id", "price"],
    properties: { id: { type: "integer" }, price: { type: "number", minimum: 0 } }
  }
})
const item: JsonSchema = { $ref: "#/$defs/Item" }
const getItem = makeOperation({
  responses: [
    response(
      "200",
      [mediaType("application/json", item)],
      [{ name: "X-Rate-Limit", required: true, schema: { type: "integer" } }]
    ),
    response("404")
  ]
})

interface Case {
  readonly check: Check
  readonly buggy: http.RequestListener
  readonly fixed: http.RequestListener
  readonly request?: SendOptions
  /** Requests sent before the judged one, such as creating and deleting the resource. */
  readonly prepare?: ReadonlyArray<SendOptions>
  readonly operation?: Operation
  readonly scenario?: Scenario
  readonly step?: Step
  readonly options?: CheckOptions
}

const judgeAgainst = (testCase: Case, handler: http.RequestListener) =>
  Effect.scoped(
    Effect.gen(function* () {
      const { baseUrl } = yield* startServer(handler)
      let lastDeleteStatus: number | undefined
      for (const earlier of testCase.prepare ?? []) {
        const prepared = yield* send(baseUrl, earlier)
        if (earlier.method === "DELETE") lastDeleteStatus = prepared.response?.status
      }
      const exchange = yield* send(baseUrl, testCase.request)
      const body = parseResponseBody(exchange)
      return testCase.check.judge({
        spec,
        operation: testCase.operation ?? getItem,
        scenario: testCase.scenario ?? makeScenario(),
        step: testCase.step ?? makeStep(),
        exchange,
        ...(body === undefined ? {} : { body }),
        options: testCase.options ?? {},
        ...(lastDeleteStatus === undefined ? {} : { lastDeleteStatus })
      })
    })
  )

const expectCaughtAndFixed = (testCase: Case) =>
  Effect.gen(function* () {
    const caught: CheckOutcome = yield* judgeAgainst(testCase, testCase.buggy)
    expect(caught.status, JSON.stringify(caught)).toBe("failed")
    const fixed: CheckOutcome = yield* judgeAgainst(testCase, testCase.fixed)
    expect(fixed.status, JSON.stringify(fixed)).toBe("passed")
    return caught
  })

const goodItem: http.RequestListener = (_req, res) =>
  json(res, 200, { id: 1, price: 12 }, { "x-rate-limit": "100" })

// A store of items that `POST /items` fills; `serveDeleted` keeps items after DELETE (the bug).
const itemStore = (options: { readonly serveDeleted: boolean }): http.RequestListener => {
  const items = new Map<string, unknown>()
  const deleted = new Set<string>()
  return (req, res) => {
    const id = req.url?.split("/")[2] ?? ""
    if (req.method === "POST") {
      void readJson(req).then((value) => {
        items.set("1", value)
        json(res, 201, { id: 1 })
      })
    } else if (req.method === "DELETE") {
      if (options.serveDeleted) deleted.add(id)
      else items.delete(id)
      res.writeHead(204).end()
    } else if (items.has(id)) {
      json(res, 200, items.get(id))
    } else {
      json(res, 404, { message: "not found" })
    }
  }
}

const validatesPrice =
  (accepts: (price: unknown) => boolean): http.RequestListener =>
  (req, res) => {
    void readJson(req).then((body) => {
      const price =
        typeof body === "object" && body !== null ? (body as { price?: unknown }).price : undefined
      if (accepts(price)) json(res, 201, { id: 1, price })
      else json(res, 400, { message: "price must be a number of at least 0" })
    })
  }

describe("checks against a real server", () => {
  it.effect("not_a_server_error catches a 500", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: notAServerError,
        buggy: (_req, res) => json(res, 500, { message: "boom" }),
        fixed: goodItem
      })
      expect(signatureOf(caught)).toBe("500")
    })
  )

  it.effect("status_code_conformance catches an undeclared 418", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: statusCodeConformance,
        buggy: (_req, res) => json(res, 418, { message: "teapot" }),
        fixed: goodItem
      })
      expect(signatureOf(caught)).toBe("418")
    })
  )

  it.effect("content_type_conformance catches text/html", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: contentTypeConformance,
        buggy: (_req, res) => {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" })
          res.end("<html><body>item</body></html>")
        },
        fixed: (_req, res) => {
          res.writeHead(200, { "content-type": "application/json; charset=utf-8" })
          res.end('{"id":1,"price":12}')
        }
      })
      expect(signatureOf(caught)).toBe("text/html")
    })
  )

  it.effect("response_schema_conformance catches a wrong-typed field", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: responseSchemaConformance,
        buggy: (_req, res) => json(res, 200, { id: 1, price: "12.00" }),
        fixed: goodItem
      })
      expect(signatureOf(caught)).toBe("/price: type")
    })
  )

  it.effect("response_headers_conformance catches a missing header", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: responseHeadersConformance,
        buggy: (_req, res) => json(res, 200, { id: 1, price: 12 }),
        fixed: goodItem
      })
      expect(signatureOf(caught)).toBe("x-rate-limit: missing")
    })
  )

  it.effect("negative_data_rejection catches accepted invalid input", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: negativeDataRejection,
        operation: makeOperation({ method: "post", path: "/items" }),
        scenario: makeScenario("invalid", "negative.type"),
        step: makeStep({ expect: "4xx" }),
        request: { method: "POST", path: "/items", json: { price: "not a number" } },
        buggy: validatesPrice(() => true),
        fixed: validatesPrice((price) => typeof price === "number" && price >= 0)
      })
      expect(signatureOf(caught)).toBe("negative.type")
    })
  )

  it.effect("positive_data_acceptance catches rejected valid input", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: positiveDataAcceptance,
        operation: makeOperation({ method: "post", path: "/items" }),
        scenario: makeScenario("boundary", "boundary.minimum"),
        step: makeStep({ expect: "2xx" }),
        request: { method: "POST", path: "/items", json: { price: 0 } },
        // The bug: the minimum itself is rejected (an off-by-one `> 0` instead of `>= 0`).
        buggy: validatesPrice((price) => typeof price === "number" && price > 0),
        fixed: validatesPrice((price) => typeof price === "number" && price >= 0)
      })
      expect(signatureOf(caught)).toBe("400")
    })
  )

  it.effect("ignored_auth catches a request served without credentials", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: ignoredAuth,
        operation: makeOperation({ security: [[{ scheme: "bearer", scopes: [] }]] }),
        step: makeStep({ auth: "none" }),
        buggy: goodItem,
        fixed: (req, res) => {
          if (req.headers.authorization !== "Bearer secret") json(res, 401, { message: "unauthorized" })
          else goodItem(req, res)
        }
      })
      expect(signatureOf(caught)).toBe("auth none")
    })
  )

  it.effect("use_after_free catches a deleted resource still served", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: useAfterFree,
        step: makeStep({ afterDelete: true, bind: [{ variable: "id", location: "path", target: "id" }] }),
        prepare: [
          { method: "POST", path: "/items", json: { id: 1, price: 3 } },
          { method: "DELETE", path: "/items/1" }
        ],
        request: { method: "GET", path: "/items/1" },
        buggy: itemStore({ serveDeleted: true }),
        fixed: itemStore({ serveDeleted: false })
      })
      expect(signatureOf(caught)).toBe("2xx after delete")
    })
  )

  it.effect("not_a_server_error catches a dropped connection", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: notAServerError,
        buggy: (req) => req.socket.destroy(),
        fixed: goodItem
      })
      expect(signatureOf(caught)).toBe("no response (network)")
      expect(messageOf(caught)).toMatch(/^GET \/items\/\{id\} got no response: /)
    })
  )

  it.effect("max_response_time catches a slow response", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: maxResponseTime,
        options: { maxResponseTimeMs: 150 },
        buggy: (req, res) => {
          void sleep(400).then(() => goodItem(req, res))
        },
        fixed: goodItem
      })
      expect(messageOf(caught)).toMatch(/took \d+ ms, more than the limit of 150 ms/)
    })
  )

  it.effect("max_response_time catches a timeout", () =>
    Effect.gen(function* () {
      const caught = yield* expectCaughtAndFixed({
        check: maxResponseTime,
        options: { maxResponseTimeMs: 1_000 },
        request: { timeoutMs: 150 },
        buggy: (req, res) => {
          void sleep(600).then(() => (res.destroyed ? undefined : goodItem(req, res)))
        },
        fixed: goodItem
      })
      expect(signatureOf(caught)).toBe("timeout")
    })
  )

  it.effect("business_rule catches a wrong total", () =>
    Effect.gen(function* () {
      const list =
        (total: (count: number) => number): http.RequestListener =>
        (_req, res) => {
          const items = [{ id: 1 }, { id: 2 }]
          json(res, 200, { items, total: total(items.length) }, { "x-total-count": String(items.length) })
        }
      const caught = yield* expectCaughtAndFixed({
        check: businessRule,
        step: makeStep({
          assertions: [
            {
              rule: "total is the number of items",
              expression: "$.body.total == len($.body.items) && $.headers.x-total-count == $.body.total",
              specText: "total: how many items the list holds"
            }
          ]
        }),
        request: { path: "/items" },
        buggy: list((count) => count + 1),
        fixed: list((count) => count)
      })
      expect(messageOf(caught)).toContain("$.body.total = 3")
    })
  )
})
