import { describe, expect, it } from "@effect/vitest"
import { toHtmlReport } from "../../src/report/index.js"
import { passedReport, runReport } from "./fixture.js"

const html = toHtmlReport(runReport)

/** The text of the element that carries `data-stat="<label>"`. */
const statValue = (page: string, label: string): string | undefined =>
  new RegExp(`data-stat="${label}"><b>([^<]*)</b>`).exec(page)?.[1]

const rowOf = (page: string, operationId: string): string =>
  new RegExp(`<tr data-operation="${operationId}">.*?</tr>`).exec(page)?.[0] ?? ""

describe("toHtmlReport", () => {
  it("is one self-contained document", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true)
    expect(html).toContain("<style>")
    expect(html).not.toMatch(/<link\b/)
    expect(html).not.toMatch(/\bsrc=/)
    expect(html).not.toMatch(/href="(https?:)?\/\//)
    expect(html).not.toMatch(/@import|url\(/)
  })

  it("escapes HTML in every text from the run", () => {
    // The only script element is the report's own copy-button script.
    expect(html.match(/<script/g)).toHaveLength(1)
    expect(html).toContain(
      "&lt;html&gt;&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;&lt;p title=&quot;x&quot;&gt;"
    )
    expect(html).toContain("say &quot;hi&quot; &lt;b&gt;")
    expect(html).toContain("Pet names are at most 40 characters &lt;strict&gt;.")
    expect(html).toContain("<h1>Pet Store &amp; Friends</h1>")
    expect(html).not.toContain("\u0007")
  })

  it("shows the run header", () => {
    expect(html).toContain("http://127.0.0.1:4010")
    expect(html).toContain("run-2026-12-04-01")
    expect(html).toContain(`<span class="badge status-failed">failed</span>`)
    expect(html).toContain("<dt>Seed</dt><dd>42</dd>")
    expect(html).toContain("<dt>Started</dt><dd>2026-12-04T20:00:00.000Z</dd>")
    expect(html).toContain("<dt>Finished</dt><dd>2026-12-04T20:00:12.500Z</dd>")
    expect(html).toContain("<dt>Duration</dt><dd>12.5 s</dd>")
  })

  it("shows the summary numbers", () => {
    expect(statValue(html, "operations")).toBe("3")
    expect(statValue(html, "scenarios")).toBe("14")
    expect(statValue(html, "steps")).toBe("37")
    expect(statValue(html, "findings")).toBe("5")
    expect(html).toContain("<h2>Not validated</h2>")
    expect(html).toContain("<p>These responses were not checked, so they do not count as passed.</p>")
    expect(html).toContain("<td>no schema is declared for 201 text/plain</td>")
    expect(statValue(html, "not validated")).toBe("3")
    expect(statValue(html, "failed requests")).toBe("1")
    expect(statValue(html, "rate limited")).toBe("1")
    expect(html).toContain(`<div class="stat bad" data-stat="findings">`)
  })

  it("lists the steps before a flow finding", () => {
    const html = toHtmlReport(runReport)
    expect(html).toContain("Step 1 (got 201):")
    expect(html).toContain(
      `curl -X POST &#39;http://127.0.0.1:4010/pets&#39; --data-raw &#39;{&quot;name&quot;:&quot;&lt;Rex&gt;&quot;}&#39;`
    )
    expect(html).toContain("Step 2, which failed:")
  })

  it("explains masked secrets in curl lines", () => {
    const masked = runReport.findings.map((finding, index) =>
      index === 0 ? { ...finding, curl: `${finding.curl} -H 'authorization: Bearer ***'` } : finding
    )
    const page = toHtmlReport({ ...runReport, findings: masked })

    expect(page).toContain("<p>*** marks a masked secret; put the real value back to replay a request.</p>")
    expect(html).not.toContain("masked secret")
  })

  it("shows AI usage when present", () => {
    expect(statValue(html, "model calls")).toBe("4")
    expect(statValue(html, "prompt tokens")).toBe("5120")
    expect(statValue(html, "estimated cost")).toBe("0.0213")
    expect(html).toContain("Model stopped: budget reached")
    expect(toHtmlReport(passedReport)).not.toContain("AI usage")
  })

  it("renders the coverage matrix columns", () => {
    const head = /<thead>.*?<\/thead>/.exec(html)?.[0] ?? ""
    const columns = [...head.matchAll(/<th>([^<]*)<\/th>/g)].map((match) => match[1])
    expect(columns).toEqual(["200", "201", "400", "404", "409", "4XX", "500", "502", "default"])
  })

  it("marks declared, seen and undeclared cells", () => {
    const createPet = rowOf(html, "createPet")
    expect(createPet).toContain("POST /pets")
    expect(createPet).toContain(`data-status="201" data-cell="seen"`)
    expect(createPet).toContain(`data-status="400" data-cell="declared"`)
    expect(createPet).toContain(`data-status="409" data-cell="covered"`)
    expect(createPet).toContain(`data-status="502" data-cell="undeclared"`)
    expect(createPet).toContain(`data-status="404" data-cell="empty"`)
    expect(rowOf(html, "getPet")).toContain(`data-status="404" data-cell="declared"`)
    expect(html).toContain(`<div class="legend">`)
    expect(html).toContain("seen but not declared")
  })

  it("groups findings by operation", () => {
    const order = ["f-list-500", "f-list-schema", "f-create-negative", "f-create-502", "f-get-timeout"].map(
      (id) => html.indexOf(`id="finding-${id}"`)
    )
    expect(order.every((position) => position > 0)).toBe(true)
    expect([...order].sort((left, right) => left - right)).toEqual(order)
    const sections = [
      ...html.matchAll(/<section class="operation">\n<h3><span class="mono">([^<]*)<\/span>/g)
    ]
    expect(sections.map((match) => match[1])).toEqual(["GET /pets", "POST /pets", "GET /pets/{petId}"])
  })

  it("shows a finding's evidence and curl", () => {
    const start = html.indexOf(`id="finding-f-create-negative"`)
    const finding = html.slice(start, html.indexOf("</article>", start))
    expect(finding).toContain(`<span class="check">negative_data_rejection</span>`)
    expect(finding).toContain("× 1")
    expect(finding).toContain("Invalid data was accepted with 201")
    expect(finding).toContain("a 4xx status for a name longer than 40 characters")
    expect(finding).toContain("POST http://127.0.0.1:4010/pets")
    expect(finding).toContain("<th>location</th><td>/pets/9</td>")
    expect(finding).toContain("<th>generator</th><td>ai</td>")
    expect(finding).toContain("<th>rule</th><td>ai.business-rule</td>")
    expect(finding).toContain("<th>intent</th><td>business_rule</td>")
    expect(finding).toContain("<th>model</th><td>gpt-4o-mini</td>")
    expect(finding).toMatch(/<button type="button" data-copy>Copy<\/button><pre>curl -X POST/)
  })

  it("pretty-prints JSON bodies", () => {
    expect(html).toContain(`<pre>{\n  &quot;id&quot;: 9\n}</pre>`)
  })

  it("keeps JSON bodies a reparse would change", () => {
    const body = `{"id":12345678901234567890,"price":1.0}`
    const altered = {
      ...runReport,
      findings: runReport.findings.map((finding) =>
        finding.response === undefined ? finding : { ...finding, response: { ...finding.response, body } }
      )
    }
    const page = toHtmlReport(altered)
    expect(page).toContain(`<pre>{&quot;id&quot;:12345678901234567890,&quot;price&quot;:1.0}</pre>`)
    expect(page).not.toContain("12345678901234567000")
  })

  it("marks a finding without a response", () => {
    const start = html.indexOf(`id="finding-f-get-timeout"`)
    const finding = html.slice(start, html.indexOf("</article>", start))
    expect(finding).toContain("No response")
    expect(finding).not.toContain('<h4>Response</h4>\n<p class="mono">')
    expect(finding).toContain("no body")
  })

  it("lists notes", () => {
    expect(html).toContain("<li>Operation deletePet skipped: path parameter petId has no schema</li>")
    expect(html).toContain("used the &lt;schema&gt; generator</li>")
  })

  it("shows a green notice without findings", () => {
    const passed = toHtmlReport(passedReport)
    expect(passed).toContain(`<p class="none">No findings.</p>`)
    expect(passed).toContain(`<div class="stat good" data-stat="findings">`)
    expect(passed).toContain(`<dt>Finished</dt><dd>not finished</dd>`)
    expect(passed).not.toContain(`class="finding"`)
  })
})
