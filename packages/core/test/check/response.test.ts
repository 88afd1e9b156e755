import { describe, expect, it } from "@effect/vitest"
import { isJsonMediaType, matchMediaType, parseMediaType } from "../../src/check/mediaType.js"
import { isBodiless, matchResponse, parseResponseBody, readJsonBody } from "../../src/check/response.js"
import { makeExchange, makeOperation, mediaType, response } from "./fixtures.js"

describe("matchResponse", () => {
  const operation = makeOperation({
    responses: [response("200"), response("2xx"), response("404"), response("4XX"), response("default")]
  })

  it("prefers the exact code", () => {
    expect(matchResponse(operation, 200)?.status).toBe("200")
    expect(matchResponse(operation, 404)?.status).toBe("404")
  })

  it("falls back to a range in any case", () => {
    expect(matchResponse(operation, 201)?.status).toBe("2xx")
    expect(matchResponse(operation, 422)?.status).toBe("4XX")
  })

  it("falls back to default", () => {
    expect(matchResponse(operation, 503)?.status).toBe("default")
  })

  it("returns undefined when nothing matches", () => {
    expect(matchResponse(makeOperation({ responses: [response("200")] }), 500)).toBeUndefined()
  })
})

describe("media types", () => {
  it("parses without parameters and in lowercase", () => {
    expect(parseMediaType("Application/JSON; charset=UTF-8")).toEqual({
      type: "application",
      subtype: "json",
      essence: "application/json"
    })
    expect(parseMediaType("application/problem+json")?.suffix).toBe("json")
    expect(parseMediaType("not a media type")).toBeUndefined()
    expect(parseMediaType("")).toBeUndefined()
  })

  it("recognizes JSON media types", () => {
    expect(isJsonMediaType("application/json")).toBe(true)
    expect(isJsonMediaType("application/vnd.api+json; charset=utf-8")).toBe(true)
    expect(isJsonMediaType("text/html")).toBe(false)
    expect(isJsonMediaType("application/jsonl")).toBe(false)
  })

  it("picks the most specific declared range", () => {
    const declared = [
      mediaType("*/*"),
      mediaType("application/*"),
      mediaType("application/json"),
      mediaType("text/*")
    ]
    expect(matchMediaType(declared, "application/json; charset=utf-8")?.mediaType).toBe("application/json")
    expect(matchMediaType(declared, "application/xml")?.mediaType).toBe("application/*")
    expect(matchMediaType(declared, "text/plain")?.mediaType).toBe("text/*")
    expect(matchMediaType(declared, "image/png")?.mediaType).toBe("*/*")
  })

  it("matches +json against application/json and *+json", () => {
    expect(matchMediaType([mediaType("application/json")], "application/problem+json")?.mediaType).toBe(
      "application/json"
    )
    expect(matchMediaType([mediaType("application/*+json")], "application/problem+json")?.mediaType).toBe(
      "application/*+json"
    )
    expect(matchMediaType([mediaType("application/*+json")], "application/json")).toBeUndefined()
    expect(matchMediaType([mediaType("application/problem+json")], "application/json")).toBeUndefined()
  })
})

describe("parseResponseBody", () => {
  it("parses JSON with a charset parameter", () => {
    const exchange = makeExchange({
      body: '{"a":1}',
      headers: { "content-type": "application/json; charset=utf-8" }
    })
    expect(parseResponseBody(exchange)).toEqual({ value: { a: 1 } })
  })

  it("parses +json media types", () => {
    const exchange = makeExchange({ body: "[1,2]", headers: { "content-type": "application/hal+json" } })
    expect(parseResponseBody(exchange)).toEqual({ value: [1, 2] })
  })

  it("skips 204, 304, HEAD and empty bodies", () => {
    const json = { "content-type": "application/json" }
    expect(isBodiless(makeExchange({ status: 204, body: "{}", headers: json }))).toBe(true)
    expect(parseResponseBody(makeExchange({ status: 204, body: "{}", headers: json }))).toBeUndefined()
    expect(parseResponseBody(makeExchange({ status: 304, body: "{}", headers: json }))).toBeUndefined()
    expect(parseResponseBody(makeExchange({ method: "HEAD", body: "{}", headers: json }))).toBeUndefined()
    expect(parseResponseBody(makeExchange({ body: "", headers: json }))).toBeUndefined()
  })

  it("returns undefined for other media types and invalid JSON", () => {
    expect(
      parseResponseBody(makeExchange({ body: "{}", headers: { "content-type": "text/plain" } }))
    ).toBeUndefined()
    expect(
      parseResponseBody(makeExchange({ body: "{oops", headers: { "content-type": "application/json" } }))
    ).toBeUndefined()
    expect(
      readJsonBody(makeExchange({ body: "{oops", headers: { "content-type": "application/json" } })).kind
    ).toBe("invalid")
  })

  it("does not parse a truncated body", () => {
    const exchange = makeExchange({ body: '{"a":1}', truncated: true })
    expect(readJsonBody(exchange).kind).toBe("truncated")
  })
})
