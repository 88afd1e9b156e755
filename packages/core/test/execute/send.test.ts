/**
 * Splitting request URLs into the origin undici connects to and the raw path it sends.
 */
import { describe, expect, it } from "@effect/vitest"
import { splitUrl } from "../../src/execute/send.js"

describe("splitUrl", () => {
  it("keeps dot segments raw", () => {
    const split = splitUrl("http://127.0.0.1:8080/api/%2E%2E/items?q=1")
    expect(split.origin).toBe("http://127.0.0.1:8080")
    expect(split.path).toBe("/api/%2E%2E/items?q=1")
  })

  it("normalizes the origin", () => {
    expect(splitUrl("HTTP://Example.test:80/a").origin).toBe("http://example.test")
    expect(splitUrl("https://example.test:443?x=1")).toEqual({
      origin: "https://example.test",
      path: "/?x=1"
    })
  })

  it("gives a bare origin the root path", () => {
    expect(splitUrl("http://127.0.0.1:9000")).toEqual({ origin: "http://127.0.0.1:9000", path: "/" })
  })

  it("tells cached origins apart", () => {
    const urls = Array.from({ length: 100 }, (_, index) => `http://127.0.0.1:${9000 + index}/items/${index}`)
    for (const [index, url] of urls.entries()) {
      expect(splitUrl(url)).toEqual({ origin: `http://127.0.0.1:${9000 + index}`, path: `/items/${index}` })
    }
    expect(splitUrl(urls[3]!).origin).toBe("http://127.0.0.1:9003")
  })

  it("rejects an invalid port", () => {
    expect(() => splitUrl("http://127.0.0.1:99999/x")).toThrow()
  })
})
