import { describe, expect, it } from "@effect/vitest"
import { maxResponseTime, notAServerError, statusCodeConformance } from "../../src/check/statusChecks.js"
import {
  failedExchange,
  makeExchange,
  makeInput,
  makeOperation,
  messageOf,
  response,
  signatureOf
} from "./fixtures.js"

describe("not_a_server_error", () => {
  it("fails a 500 with the status as signature", () => {
    const outcome = notAServerError.judge(makeInput({ exchange: makeExchange({ status: 500 }) }))
    expect(outcome.status).toBe("failed")
    expect(signatureOf(outcome)).toBe("500")
  })

  it("fails a 503 without rate limiting", () => {
    expect(notAServerError.judge(makeInput({ exchange: makeExchange({ status: 503 }) })).status).toBe(
      "failed"
    )
  })

  it("passes a 4xx", () => {
    expect(notAServerError.judge(makeInput({ exchange: makeExchange({ status: 404 }) }))).toEqual({
      status: "passed"
    })
  })

  it("skips a rate-limited exchange", () => {
    const outcome = notAServerError.judge(
      makeInput({ exchange: makeExchange({ status: 503, rateLimited: true }) })
    )
    expect(outcome).toEqual({ status: "skipped", reason: "rate limited" })
  })

  it("fails a refused connection", () => {
    const exchange = failedExchange({ kind: "connect", message: "ECONNREFUSED", elapsedMs: 1 })
    const outcome = notAServerError.judge(makeInput({ exchange }))
    expect(outcome.status).toBe("failed")
    if (outcome.status !== "failed") return
    expect(outcome.signature).toBe("no response (connect)")
  })

  it("leaves a timeout to max_response_time", () => {
    const exchange = failedExchange({ kind: "timeout", message: "too slow", elapsedMs: 30_000 })
    expect(notAServerError.judge(makeInput({ exchange })).status).toBe("skipped")
  })
})

describe("status_code_conformance", () => {
  const operation = makeOperation({ responses: [response("200"), response("4XX")] })

  it("fails an undeclared status", () => {
    const outcome = statusCodeConformance.judge(
      makeInput({ operation, exchange: makeExchange({ status: 500 }) })
    )
    expect(outcome.status).toBe("failed")
    if (outcome.status !== "failed") return
    expect(outcome.signature).toBe("500")
    expect(outcome.expected).toContain("200, 4XX")
  })

  it("passes an exact and a range match", () => {
    expect(
      statusCodeConformance.judge(makeInput({ operation, exchange: makeExchange({ status: 200 }) })).status
    ).toBe("passed")
    expect(
      statusCodeConformance.judge(makeInput({ operation, exchange: makeExchange({ status: 418 }) })).status
    ).toBe("passed")
  })

  it("passes anything with default", () => {
    const withDefault = makeOperation({ responses: [response("200"), response("default")] })
    const outcome = statusCodeConformance.judge(
      makeInput({ operation: withDefault, exchange: makeExchange({ status: 502 }) })
    )
    expect(outcome.status).toBe("passed")
  })

  it("skips a rate-limited 429", () => {
    const outcome = statusCodeConformance.judge(
      makeInput({ operation, exchange: makeExchange({ status: 429, rateLimited: true }) })
    )
    expect(outcome.status).toBe("skipped")
  })
})

describe("max_response_time", () => {
  it("fails a response slower than the limit", () => {
    const outcome = maxResponseTime.judge(
      makeInput({ exchange: makeExchange({ elapsedMs: 250 }), options: { maxResponseTimeMs: 100 } })
    )
    expect(outcome.status).toBe("failed")
    expect(messageOf(outcome)).toContain("250 ms")
  })

  it("leaves out time QAWave was busy", () => {
    const outcome = maxResponseTime.judge(
      makeInput({
        exchange: makeExchange({ elapsedMs: 1_200, busyMs: 500 }),
        options: { maxResponseTimeMs: 1_000 }
      })
    )
    expect(outcome.status).toBe("passed")
  })

  it("fails when slow even without busy time", () => {
    const outcome = maxResponseTime.judge(
      makeInput({
        exchange: makeExchange({ elapsedMs: 1_600, busyMs: 500 }),
        options: { maxResponseTimeMs: 1_000 }
      })
    )
    expect(outcome.status).toBe("failed")
    expect(messageOf(outcome)).toContain(
      "1100 ms, more than the limit of 1000 ms (not counting 500 ms in which QAWave itself was busy)"
    )
  })

  it("passes a response at the limit", () => {
    const outcome = maxResponseTime.judge(
      makeInput({ exchange: makeExchange({ elapsedMs: 100 }), options: { maxResponseTimeMs: 100 } })
    )
    expect(outcome.status).toBe("passed")
  })

  it("skips when no limit is set", () => {
    expect(maxResponseTime.judge(makeInput({ exchange: makeExchange({ elapsedMs: 99_999 }) })).status).toBe(
      "skipped"
    )
  })

  it("fails a timeout even without a limit", () => {
    const exchange = failedExchange({
      kind: "timeout",
      message: "no response in 30000 ms",
      elapsedMs: 30_000
    })
    const outcome = maxResponseTime.judge(makeInput({ exchange }))
    expect(outcome.status).toBe("failed")
    expect(signatureOf(outcome)).toBe("timeout")
  })

  it("skips other failures", () => {
    const exchange = failedExchange({ kind: "connect", message: "ECONNREFUSED", elapsedMs: 1 })
    expect(maxResponseTime.judge(makeInput({ exchange, options: { maxResponseTimeMs: 10 } })).status).toBe(
      "skipped"
    )
  })

  it("judges rate-limited responses too", () => {
    const exchange = makeExchange({ status: 429, elapsedMs: 500, rateLimited: true })
    expect(maxResponseTime.judge(makeInput({ exchange, options: { maxResponseTimeMs: 100 } })).status).toBe(
      "failed"
    )
  })
})
