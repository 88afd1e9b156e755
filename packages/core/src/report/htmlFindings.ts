/**
 * The findings section of the HTML report: findings grouped by operation, each with its evidence.
 */

import type { Finding } from "../check/Finding.js"
import type { RecordedRequest, RecordedResponse } from "../execute/Exchange.js"
import { mask as maskText } from "../execute/mask.js"
import type { RunReport } from "../run/Run.js"
import type { Provenance } from "../scenario/Scenario.js"
import { escapeHtml, operationLabel } from "./text.js"

/**
 * Pretty-prints a body that is compact JSON. A body that would not survive a parse and re-serialization
 * unchanged (big integers, `1.0`, duplicate keys, odd spacing, truncation) is shown as recorded, so
 * the report never alters the evidence.
 */
const formatBody = (body: string, truncated: boolean): string => {
  if (truncated) return body
  const trimmed = body.trim()
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return body
  try {
    const value: unknown = JSON.parse(trimmed)
    return JSON.stringify(value) === trimmed ? JSON.stringify(value, null, 2) : body
  } catch {
    return body
  }
}

/** Wraps text in `<pre>`. HTML drops one line break right after `<pre>`, so a leading one is doubled. */
const preHtml = (text: string): string => `<pre>${/^\r?\n/.test(text) ? "\n" : ""}${escapeHtml(text)}</pre>`

const statusClass = (status: number): string => {
  if (status >= 500) return "http-5xx"
  if (status >= 400) return "http-4xx"
  return "http-ok"
}

const keyValueTable = (entries: ReadonlyArray<readonly [string, string]>): string => {
  if (entries.length === 0) return `<p class="kv"><em>none</em></p>`
  const rows = entries.map(
    ([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`
  )
  return `<table class="kv">${rows.join("")}</table>`
}

const requestHtml = (request: RecordedRequest): string => {
  const body =
    request.body === undefined
      ? '<p class="kv"><em>no body</em></p>'
      : preHtml(formatBody(request.body, false))
  return [
    "<div>",
    "<h4>Request</h4>",
    `<p class="mono">${escapeHtml(request.method.toUpperCase())} ${escapeHtml(request.url)}</p>`,
    keyValueTable(Object.entries(request.headers)),
    body,
    "</div>"
  ].join("\n")
}

const responseHtml = (response: RecordedResponse | undefined): string => {
  if (response === undefined) {
    return `<div>\n<h4>Response</h4>\n<p class="noresponse">No response: the request failed before an answer came.</p>\n</div>`
  }
  const truncated = response.truncated
    ? ` <span class="count">(body truncated: ${response.bodyBytes} bytes received)</span>`
    : ""
  return [
    "<div>",
    "<h4>Response</h4>",
    `<p class="mono"><b class="${statusClass(response.status)}">${response.status}</b> in ${Math.round(response.elapsedMs)} ms${truncated}</p>`,
    keyValueTable(Object.entries(response.headers)),
    preHtml(formatBody(response.body, response.truncated)),
    "</div>"
  ].join("\n")
}

const provenanceHtml = (provenance: Provenance): string => {
  const entries: Array<readonly [string, string]> = [
    ["generator", provenance.generator],
    ["rule", provenance.rule],
    ["intent", provenance.intent]
  ]
  const optional: ReadonlyArray<readonly [string, string | undefined]> = [
    ["description", provenance.description],
    ["source", provenance.source],
    ["model", provenance.model],
    ["prompt version", provenance.promptVersion],
    ["spec text", provenance.specText]
  ]
  for (const [key, value] of optional) if (value !== undefined) entries.push([key, value])
  return `<h4>Provenance</h4>\n${keyValueTable(entries)}`
}

const findingHtml = (finding: Finding): string =>
  [
    `<article class="finding" id="finding-${escapeHtml(finding.id)}">`,
    "<header>",
    `<span class="check">${escapeHtml(finding.check)}</span>`,
    `<span class="count">× ${finding.count}</span>`,
    `<span class="count mono">${escapeHtml(finding.id)}</span>`,
    "</header>",
    `<p class="message">${escapeHtml(finding.message)}</p>`,
    keyValueTable([["expected", finding.expected]]),
    `<div class="exchange">\n${requestHtml(finding.request)}\n${responseHtml(finding.response)}\n</div>`,
    provenanceHtml(finding.provenance),
    "<h4>Reproduce</h4>",
    ...stepsBeforeHtml(finding),
    `<div class="curl"><button type="button" data-copy>Copy</button>${preHtml(finding.curl)}</div>`,
    "</article>"
  ].join("\n")

/** Renders the earlier steps of a flow finding, each with its status and curl line, to run before the last one. */
const stepsBeforeHtml = (finding: Finding): ReadonlyArray<string> => {
  if (finding.stepsBefore === undefined) return []
  const steps = finding.stepsBefore.map((step, index) => {
    const status = step.status === undefined ? "no response" : String(step.status)
    return `<p class="message">Step ${index + 1} (got ${escapeHtml(status)}):</p>\n<div class="curl"><button type="button" data-copy>Copy</button>${preHtml(step.curl)}</div>`
  })
  return [
    "<p>Run the steps before it first, and use the ids they return in the later commands:</p>",
    ...steps,
    `<p class="message">Step ${finding.stepsBefore.length + 1}, which failed:</p>`
  ]
}

/** Groups findings by operation: operations in coverage order first, then any the coverage does not list. */
const groupByOperation = (report: RunReport): ReadonlyArray<readonly [string, ReadonlyArray<Finding>]> => {
  const groups = new Map<string, Array<Finding>>()
  for (const operation of report.coverage) groups.set(operation.operationId, [])
  for (const finding of report.findings) {
    const group = groups.get(finding.operationId)
    if (group === undefined) groups.set(finding.operationId, [finding])
    else group.push(finding)
  }
  return [...groups.entries()].filter(([, findings]) => findings.length > 0)
}

/** Renders the findings section, or a green notice when the run has none. */
export const findingsHtml = (report: RunReport): string => {
  if (report.findings.length === 0) return `<h2>Findings</h2>\n<p class="none">No findings.</p>`
  const sections = groupByOperation(report).map(([operationId, findings]) => {
    const first = findings[0]
    const label = first === undefined ? operationId : operationLabel(first.method, first.path)
    return [
      `<section class="operation">`,
      `<h3><span class="mono">${escapeHtml(label)}</span> <span class="count">${escapeHtml(operationId)}</span></h3>`,
      ...findings.map(findingHtml),
      "</section>"
    ].join("\n")
  })
  const masked = report.findings.some((finding) => finding.curl.includes(maskText))
    ? [`<p>${escapeHtml(maskText)} marks a masked secret; put the real value back to replay a request.</p>`]
    : []
  return [`<h2>Findings (${report.findings.length})</h2>`, ...masked, ...sections].join("\n")
}
