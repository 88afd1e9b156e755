/**
 * curl lines from recorded requests, and Retry-After parsing.
 */
import { execFileSync } from "node:child_process"
import { describe, expect, it } from "@effect/vitest"
import { shellQuote, toCurl } from "../../src/execute/curl.js"
import type { RecordedRequest } from "../../src/execute/Exchange.js"
import { parseRetryAfter } from "../../src/execute/retryAfter.js"

/** Runs `printf %s WORD` in a POSIX shell and returns what it printed. */
const throughShell = (quoted: string): string =>
  execFileSync("sh", ["-c", `printf %s ${quoted}`], { encoding: "utf8" })

describe("toCurl", () => {
  it("JSON body with single quote", () => {
    const request: RecordedRequest = {
      method: "POST",
      url: "http://127.0.0.1:8080/pets?name=O%27Brien",
      headers: { "content-type": "application/json", authorization: "Bearer ***" },
      body: `{"name":"O'Brien"}`
    }
    const curl = toCurl(request)

    expect(curl).toBe(
      `curl -X 'POST' 'http://127.0.0.1:8080/pets?name=O%27Brien' -H 'content-type: application/json' ` +
        `-H 'authorization: Bearer ***' --data-raw '{"name":"O'\\''Brien"}'`
    )
  })

  it("quoting survives a real shell", () => {
    const words = [`it's`, `a'b'c`, `$(rm -rf /) \`x\` "$HOME"`, "line\nbreak", "''", "\\"]
    for (const word of words) expect(throughShell(shellQuote(word))).toBe(word)
  })

  it("GET without body", () => {
    const curl = toCurl({ method: "GET", url: "http://h/items", headers: { accept: "application/json" } })

    expect(curl).toBe(`curl -X 'GET' 'http://h/items' -H 'accept: application/json'`)
  })

  it("HEAD uses --head", () => {
    expect(toCurl({ method: "HEAD", url: "http://h/items", headers: {} })).toBe(
      `curl --head 'http://h/items'`
    )
  })

  it("multipart body replaced by a note", () => {
    const curl = toCurl({
      method: "POST",
      url: "http://h/upload",
      headers: { "content-type": "multipart/form-data", "content-length": "99" },
      body: '--part name="file"; content-type: image/png\n<binary, 7 bytes>'
    })

    expect(curl).not.toContain("--data-raw")
    expect(curl).not.toContain("content-length")
    expect(curl).not.toContain("\n")
    expect(curl).toContain("# multipart body not included")
  })

  it("binary part read from FILE", () => {
    const curl = toCurl({
      method: "POST",
      url: "http://h/upload",
      headers: { "content-type": "multipart/form-data" },
      body: '--part name="file"; content-type: image/png\n<binary, 7 bytes>',
      parts: [
        { name: "title", contentType: "text/plain", text: "cat" },
        { name: "file", contentType: "image/png", filename: "file", bytes: 7 }
      ]
    })

    expect(curl).toBe(
      `curl -X 'POST' 'http://h/upload' --form-string 'title=cat' -F 'file=@FILE;filename="file";type=image/png'` +
        " # binary content not recorded: replace FILE with a file for file (7 bytes)"
    )
  })

  it("binary body replaced by a note", () => {
    const curl = toCurl({
      method: "PUT",
      url: "http://h/blob",
      headers: { "content-type": "application/octet-stream" },
      body: "<binary, 5 bytes>"
    })

    expect(curl).not.toContain("--data-raw")
    expect(curl).toContain("# binary body not included")
  })

  it("truncated body noted", () => {
    const curl = toCurl({ method: "POST", url: "http://h/x", headers: {}, body: "abc", bodyTruncated: true })

    expect(curl).toContain("--data-raw 'abc'")
    expect(curl).toContain("# body truncated in the record")
  })
})

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z")

  it("delta seconds", () => {
    expect(parseRetryAfter("2", now)).toBe(2_000)
    expect(parseRetryAfter(" 0 ", now)).toBe(0)
  })

  it("HTTP date", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5_000)
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0)
  })

  it("invalid values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter("-1", now)).toBeUndefined()
    expect(parseRetryAfter("1.5", now)).toBeUndefined()
    expect(parseRetryAfter("soon", now)).toBeUndefined()
    expect(parseRetryAfter("Xyz, 99 Foo 2026", now)).toBeUndefined()
  })
})
