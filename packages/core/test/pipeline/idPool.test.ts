/**
 * Ids of created resources put into the path parameters of later single-step requests.
 */
import { describe, expect, it } from "@effect/vitest"
import type { Exchange } from "../../src/execute/Exchange.js"
import { IdPool } from "../../src/pipeline/idPool.js"
import type { Scenario, Step, StepRequest } from "../../src/scenario/Scenario.js"
import type { Operation } from "../../src/spec/model.js"

const operation = (id: string, path: string) => ({ id, path }) as unknown as Operation
const createList = operation("createList", "/lists")
const getItem = operation("getItem", "/lists/{listId}/items/{itemId}")

const created = (status: number): Exchange => ({
  request: { method: "POST", url: "http://127.0.0.1:8080/lists", headers: {} },
  response: { status, headers: {}, body: "", bodyBytes: 0, truncated: false, elapsedMs: 1 },
  retries: 0,
  rateLimited: false
})

const request: StepRequest = {
  pathParams: { listId: 471, itemId: 2 },
  query: {},
  headers: {},
  cookies: {},
  auth: "default"
}

const scenario = (source?: string) =>
  ({
    provenance: {
      generator: "schema",
      rule: "r",
      intent: "valid",
      ...(source === undefined ? {} : { source })
    }
  }) as Scenario
const step = (bind: Step["bind"] = []) => ({ bind }) as unknown as Step

const pool = () =>
  new IdPool([
    { createOperationId: "createList", pointer: "/id", itemPath: "/lists/{listId}", parameter: "listId" }
  ])

describe("IdPool", () => {
  it("fills a created id", () => {
    const ids = pool()
    ids.learn(createList, created(201), { value: { id: 7 } })
    expect(ids.fill(getItem, scenario(), step(), request).pathParams).toEqual({ listId: 7, itemId: 2 })
  })

  it("keeps a tested parameter", () => {
    const ids = pool()
    ids.learn(createList, created(201), { value: { id: 7 } })
    expect(ids.fill(getItem, scenario("path.listId"), step(), request)).toBe(request)
  })

  it("keeps a bound parameter", () => {
    const ids = pool()
    ids.learn(createList, created(201), { value: { id: 7 } })
    const bound = step([{ variable: "parent.listId", location: "path", target: "listId" }])
    expect(ids.fill(getItem, scenario(), bound, request)).toBe(request)
  })

  it("learns nothing from a failed create", () => {
    const ids = pool()
    ids.learn(createList, created(400), { value: { id: 7 } })
    ids.learn(createList, created(201), { value: { name: "no id" } })
    expect(ids.fill(getItem, scenario(), step(), request)).toBe(request)
  })
})
