import { describe, expect, it } from "@effect/vitest"
import { businessRule } from "../../src/check/businessRule.js"
import type { Assertion } from "../../src/scenario/Scenario.js"
import { makeExchange, makeInput, makeStep, messageOf, reasonOf } from "./fixtures.js"

const exchange = makeExchange({
  body: { items: [{ price: 3 }, { price: 4 }], total: 3 },
  headers: { "content-type": "application/json", "x-total-count": "2" }
})

const judge = (assertions: ReadonlyArray<Assertion>, on = exchange) =>
  businessRule.judge(makeInput({ step: makeStep({ assertions }), exchange: on }))

describe("business_rule", () => {
  it("fails a false assertion, quoting rule, spec text and values", () => {
    const outcome = judge([
      {
        rule: "total equals the number of items",
        expression: "$.body.total == len($.body.items)",
        specText: "`total` is the number of items returned"
      }
    ])
    expect(outcome.status).toBe("failed")
    if (outcome.status !== "failed") return
    expect(outcome.message).toContain('"total equals the number of items"')
    expect(outcome.message).toContain("`total` is the number of items returned")
    expect(outcome.message).toContain("$.body.total = 3")
    expect(outcome.message).toContain("len($.body.items) = 2")
    expect(outcome.signature).toBe("total equals the number of items")
    expect(outcome.expected).toBe("total equals the number of items")
  })

  it("passes true assertions", () => {
    const outcome = judge([
      { rule: "header counts items", expression: "$.headers.x-total-count == len($.body.items)" },
      { rule: "prices are positive", expression: "every($.body.items, @.price > 0)" }
    ])
    expect(outcome.status).toBe("passed")
  })

  it("does not validate an assertion that does not parse", () => {
    const outcome = judge([{ rule: "broken", expression: "$.body.total ===" }])
    expect(outcome.status).toBe("not_validated")
    expect(reasonOf(outcome)).toContain("at character")
  })

  it("does not validate an assertion with a type error", () => {
    const outcome = judge([{ rule: "typed", expression: "len($.body.total) > 1" }])
    expect(outcome.status).toBe("not_validated")
  })

  it("fails when one assertion fails and another is unusable", () => {
    const outcome = judge([
      { rule: "broken", expression: "((" },
      { rule: "status is created", expression: "$.status == 201" }
    ])
    expect(outcome.status).toBe("failed")
    expect(messageOf(outcome)).toContain("1 assertion(s) could not be evaluated")
  })

  it("reads a non-JSON body as text", () => {
    const text = makeExchange({ body: "OK", headers: { "content-type": "text/plain" } })
    expect(judge([{ rule: "says OK", expression: `$.body == "OK"` }], text).status).toBe("passed")
  })

  it("skips steps without assertions and rate-limited responses", () => {
    expect(judge([]).status).toBe("skipped")
    const limited = makeExchange({ status: 429, rateLimited: true })
    expect(judge([{ rule: "r", expression: "$.status == 200" }], limited).status).toBe("skipped")
  })
})
