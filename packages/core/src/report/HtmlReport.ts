/**
 * The HTML report: one self-contained page (inline CSS and script, no other file, no network) with
 * the run's header, summary, coverage matrix, findings and notes.
 */
import type { RunReport, RunSummary } from "../run/Run.js"
import { type CoverageCell, coverageMatrixOf } from "./CoverageMatrix.js"
import { reportScript, reportStyle } from "./htmlAssets.js"
import { findingsHtml } from "./htmlFindings.js"
import { durationSeconds, escapeHtml, operationLabel } from "./text.js"

const headerHtml = (report: RunReport): string => {
  const { run } = report
  const duration = durationSeconds(run.startedAt, run.finishedAt)
  const entries: Array<readonly [string, string]> = [
    ["Base URL", escapeHtml(report.baseUrl)],
    ["Spec", `${escapeHtml(report.spec.source)} (version ${escapeHtml(report.spec.version)})`],
    ["Run", `<span class="mono">${escapeHtml(run.id)}</span>`],
    ["Status", `<span class="badge status-${escapeHtml(run.status)}">${escapeHtml(run.status)}</span>`],
    ["Seed", String(run.seed)],
    ["Started", escapeHtml(run.startedAt)],
    ["Finished", run.finishedAt === undefined ? "not finished" : escapeHtml(run.finishedAt)]
  ]
  if (duration !== undefined) entries.push(["Duration", `${duration.toFixed(1)} s`])
  if (run.reason !== undefined) entries.push(["Reason", escapeHtml(run.reason)])
  const rows = entries.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join("\n")
  return `<header>\n<h1>${escapeHtml(report.spec.title)}</h1>\n<dl class="meta">\n${rows}\n</dl>\n</header>`
}

const stat = (value: number | string, label: string, tone: "bad" | "good" | "" = ""): string =>
  `<div class="stat${tone === "" ? "" : ` ${tone}`}" data-stat="${escapeHtml(label)}"><b>${escapeHtml(String(value))}</b><span>${escapeHtml(label)}</span></div>`

const aiHtml = (ai: NonNullable<RunSummary["ai"]>): string => {
  const stats = [
    stat(ai.calls, "model calls"),
    stat(ai.cacheHits, "cache hits"),
    stat(ai.promptTokens, "prompt tokens"),
    stat(ai.completionTokens, "completion tokens"),
    // NOTE: the run records the cost as a bare number; its currency is whatever the model price table uses.
    stat(ai.estimatedCost.toFixed(4), "estimated cost"),
    stat(ai.fallbacks, "fallbacks to schema", ai.fallbacks > 0 ? "bad" : "")
  ]
  const stopped =
    ai.stoppedReason === undefined ? "" : `\n<p>Model stopped: ${escapeHtml(ai.stoppedReason)}</p>`
  return `<h3>AI usage</h3>\n<div class="stats">${stats.join("")}</div>${stopped}`
}

const summaryHtml = (summary: RunSummary): string => {
  const stats = [
    stat(summary.operations, "operations"),
    stat(summary.skippedOperations, "skipped operations"),
    stat(summary.scenarios, "scenarios"),
    stat(summary.flows.run, "flows"),
    stat(summary.flows.stopped, "flows stopped early", summary.flows.stopped > 0 ? "bad" : ""),
    stat(summary.steps, "steps"),
    stat(summary.findings, "findings", summary.findings > 0 ? "bad" : "good"),
    stat(summary.notValidated, "not validated"),
    stat(summary.failedRequests, "failed requests", summary.failedRequests > 0 ? "bad" : ""),
    stat(summary.rateLimited, "rate limited")
  ]
  const ai = summary.ai === undefined ? "" : `\n${aiHtml(summary.ai)}`
  return `<h2>Summary</h2>\n<div class="stats">${stats.join("")}</div>${ai}`
}

const cellText: Record<CoverageCell, string> = {
  declared: "○",
  seen: "●",
  covered: "◐",
  undeclared: "✕",
  empty: ""
}

const cellTitle: Record<CoverageCell, string> = {
  declared: "declared, not seen",
  seen: "declared and seen",
  covered: "seen, declared by a range or default",
  undeclared: "seen but not declared",
  empty: ""
}

const legendHtml = (): string => {
  const kinds: ReadonlyArray<CoverageCell> = ["declared", "seen", "covered", "undeclared"]
  const items = kinds.map((kind) => `<span class="cell-${kind}">${cellText[kind]} ${cellTitle[kind]}</span>`)
  return `<div class="legend">${items.join("")}</div>`
}

const coverageHtml = (report: RunReport): string => {
  const matrix = coverageMatrixOf(report.coverage)
  if (matrix.rows.length === 0) return `<h2>Coverage</h2>\n<p>No operations.</p>`
  const head = matrix.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join("")
  const rows = matrix.rows.map((row) => {
    const cells = row.cells.map((cell, index) => {
      const status = escapeHtml(matrix.columns[index] ?? "")
      const title = cell === "empty" ? "" : ` title="${status}: ${cellTitle[cell]}"`
      return `<td class="cell-${cell}" data-status="${status}" data-cell="${cell}"${title}>${cellText[cell]}</td>`
    })
    const label = `<span class="mono">${escapeHtml(operationLabel(row.method, row.path))}</span>`
    return `<tr data-operation="${escapeHtml(row.operationId)}"><td class="op">${label}</td>${cells.join("")}</tr>`
  })
  return [
    "<h2>Coverage</h2>",
    legendHtml(),
    `<table class="matrix">`,
    `<thead><tr><th class="op">Operation</th>${head}</tr></thead>`,
    `<tbody>\n${rows.join("\n")}\n</tbody>`,
    "</table>"
  ].join("\n")
}

const notValidatedHtml = (report: RunReport): string => {
  const rows = report.coverage.flatMap((operation) =>
    (operation.notValidated ?? []).map(
      (entry) =>
        `<tr><td class="mono">${escapeHtml(operationLabel(operation.method, operation.path))}</td><td>${escapeHtml(entry.check)}</td><td>${entry.count}</td><td>${escapeHtml(entry.reason)}</td></tr>`
    )
  )
  if (rows.length === 0) return ""
  return [
    "<h2>Not validated</h2>",
    "<p>These responses were not checked, so they do not count as passed.</p>",
    "<table>",
    "<thead><tr><th>Operation</th><th>Check</th><th>Responses</th><th>Reason</th></tr></thead>",
    `<tbody>\n${rows.join("\n")}\n</tbody>`,
    "</table>"
  ].join("\n")
}

const notesHtml = (notes: ReadonlyArray<string>): string => {
  if (notes.length === 0) return ""
  const items = notes.map((note) => `<li>${escapeHtml(note)}</li>`).join("\n")
  return `<h2>Notes</h2>\n<ul class="notes">\n${items}\n</ul>`
}

/** Renders the HTML report of a run as one self-contained page; every text from the run is escaped. */
export const toHtmlReport = (report: RunReport): string => {
  const title = `QAWave: ${report.spec.title} (${report.run.status})`
  const body = [
    headerHtml(report),
    summaryHtml(report.summary),
    coverageHtml(report),
    findingsHtml(report),
    notValidatedHtml(report),
    notesHtml(report.notes),
    `<footer>Generated by QAWave for run ${escapeHtml(report.run.id)}.</footer>`
  ].filter((part) => part !== "")
  return [
    "<!DOCTYPE html>",
    `<html lang="en">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${reportStyle}</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...body,
    "</main>",
    `<script>${reportScript}</script>`,
    "</body>",
    "</html>",
    ""
  ].join("\n")
}
