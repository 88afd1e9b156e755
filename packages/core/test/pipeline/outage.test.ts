/**
 * The warning about an API that responded and then refused every connection.
 */
import { describe, expect, it } from "@effect/vitest"
import type { Exchange } from "../../src/execute/Exchange.js"
import { OutageWatch } from "../../src/pipeline/outage.js"

const request = (path: string) => ({ method: "GET", url: `http://127.0.0.1:8080${path}`, headers: {} })

const answered = (path: string, status: number): Exchange => ({
  request: request(path),
  response: { status, headers: {}, body: "", bodyBytes: 0, truncated: false, elapsedMs: 1 },
  retries: 0,
  rateLimited: false
})

const failed = (path: string, kind: "network" | "connect"): Exchange => ({
  request: request(path),
  failure: { kind, message: kind === "network" ? "other side closed" : "ECONNREFUSED", elapsedMs: 1 },
  retries: 0,
  rateLimited: false
})

describe("OutageWatch", () => {
  it("names the requests before the outage", () => {
    const watch = new OutageWatch()
    for (const index of [1, 2, 3, 4]) watch.record(answered(`/items/${index}`, 200))
    watch.record(failed("/items?offset=10000", "network"))
    watch.record(failed("/items/5", "connect"))
    watch.record(failed("/items/6", "connect"))

    expect(watch.note()).toBe(
      "warning: the API stopped accepting connections after answering 4 requests, so it may have crashed; the last requests it answered: GET http://127.0.0.1:8080/items/1 (200), GET http://127.0.0.1:8080/items/2 (200), GET http://127.0.0.1:8080/items/3 (200), GET http://127.0.0.1:8080/items/4 (200); requests whose connection closed: GET http://127.0.0.1:8080/items?offset=10000"
    )
  })

  it("keeps the last ten answers", () => {
    const watch = new OutageWatch()
    for (let index = 1; index <= 12; index++) watch.record(answered(`/items/${index}`, 200))
    watch.record(failed("/items/13", "connect"))
    expect(watch.note()).toContain("answered: GET http://127.0.0.1:8080/items/3 (200),")
    expect(watch.note()).toMatch(/items\/12 \(200\)$/)
  })

  it("stays silent for an API that never answered", () => {
    const watch = new OutageWatch()
    watch.record(failed("/items/1", "connect"))
    expect(watch.note()).toBeUndefined()
  })

  it("stays silent while the API answers", () => {
    const watch = new OutageWatch()
    watch.record(answered("/items/1", 500))
    watch.record(failed("/items/2", "network"))
    expect(watch.note()).toBeUndefined()
  })
})
