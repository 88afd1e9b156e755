import { describe, expect, it } from "@effect/vitest"
import { parseRetryAfterMs, scrubSecret } from "../../src/ai/ProviderError.js"

const now = Date.parse("2026-01-01T00:00:00Z")

describe("parseRetryAfterMs", () => {
  it("reads seconds", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": "2" }), now)).toBe(2000)
    expect(parseRetryAfterMs(new Headers({ "retry-after": "0.5" }), now)).toBe(500)
  })

  it("prefers retry-after-ms", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after-ms": "120", "retry-after": "9" }), now)).toBe(120)
  })

  it("reads HTTP date", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), now)).toBe(
      30_000
    )
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }), now)).toBe(0)
  })

  it("ignores missing or unusable values", () => {
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined()
    expect(parseRetryAfterMs(new Headers(), now)).toBeUndefined()
    expect(parseRetryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeUndefined()
  })
})

describe("scrubSecret", () => {
  it("replaces every occurrence", () => {
    expect(scrubSecret("key sk-1 and sk-1", "sk-1")).toBe("key <redacted> and <redacted>")
    expect(scrubSecret("no key", "")).toBe("no key")
  })
})
