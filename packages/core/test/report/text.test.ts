import { describe, expect, it } from "@effect/vitest"
import {
  compareCheckNames,
  durationSeconds,
  escapeHtml,
  escapeXmlAttribute,
  escapeXmlText,
  stripForbiddenCharacters
} from "../../src/report/text.js"

describe("stripForbiddenCharacters", () => {
  it("removes C0 controls except tab, LF and CR", () => {
    expect(stripForbiddenCharacters("a\u0000b\u0008c\u001bd\te\nf\rg")).toBe("abcd\te\nf\rg")
  })

  it("removes lone surrogates and U+FFFE, U+FFFF", () => {
    expect(stripForbiddenCharacters("x\uD800y\uDC00z\uFFFE\uFFFF!")).toBe("xyz!")
  })

  it("keeps astral characters and non-ASCII text", () => {
    expect(stripForbiddenCharacters("café 🚀 \u00a0 ü")).toBe("café 🚀 \u00a0 ü")
  })
})

describe("escaping", () => {
  it("escapes XML text", () => {
    expect(escapeXmlText(`a < b && c > "d" 'e'`)).toBe(`a &lt; b &amp;&amp; c &gt; "d" 'e'`)
  })

  it("escapes XML attributes with line breaks", () => {
    expect(escapeXmlAttribute(`"x" & 'y'\n\tz\r`)).toBe("&quot;x&quot; &amp; &apos;y&apos;&#10;&#9;z&#13;")
  })

  it("escapes HTML", () => {
    expect(escapeHtml(`<script>alert("x" + 'y')</script>&`)).toBe(
      "&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;)&lt;/script&gt;&amp;"
    )
  })
})

describe("durationSeconds", () => {
  it("measures between two timestamps", () => {
    expect(durationSeconds("2026-12-04T20:00:00.000Z", "2026-12-04T20:01:01.250Z")).toBe(61.25)
  })

  it("returns undefined for missing, invalid or reversed times", () => {
    expect(durationSeconds("2026-12-04T20:00:00.000Z", undefined)).toBeUndefined()
    expect(durationSeconds("not a time", "2026-12-04T20:00:00.000Z")).toBeUndefined()
    expect(durationSeconds("2026-12-04T20:00:01.000Z", "2026-12-04T20:00:00.000Z")).toBeUndefined()
  })
})

describe("compareCheckNames", () => {
  it("orders known checks first, unknown alphabetically", () => {
    const names = ["zeta_check", "response_schema_conformance", "alpha_check", "not_a_server_error"]
    expect([...names].sort(compareCheckNames)).toEqual([
      "not_a_server_error",
      "response_schema_conformance",
      "alpha_check",
      "zeta_check"
    ])
  })
})
