import { describe, expect, it } from "@effect/vitest"
import { coerceHeaderValue, responseHeadersConformance } from "../../src/check/responseHeaders.js"
import { makeExchange, makeInput, makeOperation, makeSpec, response, signatureOf } from "./fixtures.js"

const spec = makeSpec({ Count: { type: "integer", minimum: 0 } })
const operation = makeOperation({
  responses: [
    response(
      "200",
      [],
      [
        { name: "X-Total-Count", required: true, schema: { $ref: "#/$defs/Count" } },
        { name: "X-Cached", required: false, schema: { type: "boolean" } },
        { name: "X-Ids", required: false, schema: { type: "array", items: { type: "integer" } } },
        { name: "Content-Type", required: true, schema: { const: "never checked" } }
      ]
    ),
    response("404")
  ]
})

const judge = (headers: Record<string, string>, status = 200) =>
  responseHeadersConformance.judge(
    makeInput({ spec, operation, exchange: makeExchange({ status, headers }) })
  )

describe("response_headers_conformance", () => {
  it("fails a missing required header", () => {
    const outcome = judge({ "x-cached": "true" })
    expect(outcome.status).toBe("failed")
    if (outcome.status !== "failed") return
    expect(outcome.signature).toBe("x-total-count: missing")
    expect(outcome.expected).toContain("X-Total-Count (required)")
  })

  it("passes present headers coerced from text", () => {
    expect(judge({ "x-total-count": "12", "x-cached": "false", "x-ids": "1, 2,3" }).status).toBe("passed")
  })

  it("fails a value that breaks its schema", () => {
    const outcome = judge({ "x-total-count": "-1" })
    expect(signatureOf(outcome)).toBe("x-total-count: minimum")
    const notNumber = judge({ "x-total-count": "twelve" })
    expect(signatureOf(notNumber)).toBe("x-total-count: type")
  })

  it("fails a boolean header with another word", () => {
    const outcome = judge({ "x-total-count": "1", "x-cached": "yes" })
    expect(signatureOf(outcome)).toBe("x-cached: type")
  })

  it("skips a response without declared headers", () => {
    expect(judge({}, 404).status).toBe("skipped")
  })

  it("coerces by schema type", () => {
    expect(coerceHeaderValue(spec, { type: "number" }, " 1.5 ")).toBe(1.5)
    expect(coerceHeaderValue(spec, { type: ["integer", "null"] }, "7")).toBe(7)
    expect(coerceHeaderValue(spec, { type: "string" }, "7")).toBe("7")
    expect(coerceHeaderValue(spec, { type: "integer" }, "")).toBe("")
    expect(coerceHeaderValue(spec, { type: "array", items: { type: "boolean" } }, "true,false")).toEqual([
      true,
      false
    ])
  })
})
