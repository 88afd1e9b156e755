import { describe, expect, it } from "@effect/vitest"
import { contentTypeConformance } from "../../src/check/contentType.js"
import { makeExchange, makeInput, makeOperation, mediaType, response, signatureOf } from "./fixtures.js"

const operation = makeOperation({
  responses: [
    response("200", [mediaType("application/json", { type: "object" })]),
    response("204"),
    response("4XX", [mediaType("application/problem+json")])
  ]
})

const judge = (exchange: ReturnType<typeof makeExchange>) =>
  contentTypeConformance.judge(makeInput({ operation, exchange }))

describe("content_type_conformance", () => {
  it("fails text/html where JSON is declared", () => {
    const outcome = judge(
      makeExchange({ body: "<html></html>", headers: { "content-type": "text/html; charset=utf-8" } })
    )
    expect(outcome.status).toBe("failed")
    if (outcome.status !== "failed") return
    expect(outcome.signature).toBe("text/html")
    expect(outcome.expected).toContain("application/json")
  })

  it("passes with a charset parameter and other case", () => {
    expect(
      judge(makeExchange({ body: "{}", headers: { "content-type": "Application/JSON; charset=UTF-8" } }))
        .status
    ).toBe("passed")
  })

  it("passes a +json type where application/json is declared", () => {
    expect(
      judge(makeExchange({ body: "{}", headers: { "content-type": "application/vnd.item+json" } })).status
    ).toBe("passed")
  })

  it("fails plain JSON where only problem+json is declared", () => {
    const outcome = judge(
      makeExchange({ status: 400, body: "{}", headers: { "content-type": "application/json" } })
    )
    expect(outcome.status).toBe("failed")
  })

  it("fails a body without content-type", () => {
    const outcome = judge(makeExchange({ body: "{}", headers: {} }))
    expect(signatureOf(outcome)).toBe("missing content-type")
  })

  it("passes a 204 that declares no content", () => {
    const outcome = judge(makeExchange({ status: 204, body: "", headers: {} }))
    expect(outcome.status).toBe("passed")
  })

  it("skips a body where no content is declared", () => {
    const undeclaredBody = contentTypeConformance.judge(
      makeInput({
        operation: makeOperation({ responses: [response("200")] }),
        exchange: makeExchange({ body: "<p>", headers: { "content-type": "text/html" } })
      })
    )
    expect(undeclaredBody.status).toBe("skipped")
  })

  it("passes an empty body and a HEAD response", () => {
    expect(judge(makeExchange({ body: "", headers: { "content-type": "text/html" } })).status).toBe("passed")
    expect(
      judge(makeExchange({ method: "HEAD", body: "", headers: { "content-type": "text/html" } })).status
    ).toBe("passed")
  })

  it("skips an undeclared status", () => {
    expect(
      judge(makeExchange({ status: 500, body: "x", headers: { "content-type": "text/plain" } })).status
    ).toBe("skipped")
  })
})
