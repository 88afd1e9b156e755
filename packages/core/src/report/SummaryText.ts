/**
 * The plain-text summary a terminal shows at the end of a CLI run. It has no colors; the CLI adds
 * them.
 */
import type { Finding } from "../check/Finding.js"
import { mask as maskText } from "../execute/mask.js"
import type { AiUsage, RunReport } from "../run/Run.js"
import { durationSeconds, operationLabel } from "./text.js"

/** Settings of the text summary. */
export interface SummaryTextOptions {
  /** How many findings to list with their curl command; 5 unless given. */
  readonly maxFindings?: number
}

const plural = (count: number, singular: string, pluralForm = `${singular}s`): string =>
  `${count} ${count === 1 ? singular : pluralForm}`

const aiLine = (ai: AiUsage): string => {
  const parts = [
    plural(ai.calls, "model call"),
    plural(ai.cacheHits, "cache hit"),
    `${ai.promptTokens} prompt + ${ai.completionTokens} completion tokens`,
    `estimated cost ${ai.estimatedCost.toFixed(4)}`,
    plural(ai.fallbacks, "fallback")
  ]
  const stopped = ai.stoppedReason === undefined ? "" : ` (model stopped: ${ai.stoppedReason})`
  return `AI: ${parts.join(", ")}${stopped}`
}

// Checks in the order a reader triages them: crashes, then security, then data the API handled wrongly,
// which often causes the conformance findings listed after it.
const triageOrder: ReadonlyArray<string> = [
  "not_a_server_error",
  "ignored_auth",
  "use_after_free",
  "negative_data_rejection",
  "positive_data_acceptance",
  "business_rule",
  "status_code_conformance",
  "response_schema_conformance",
  "content_type_conformance",
  "response_headers_conformance",
  "max_response_time"
]

const severity = (check: string): number => {
  const rank = triageOrder.indexOf(check)
  return rank === -1 ? triageOrder.length : rank
}

/** Orders findings by check, in triage order, then by count, highest first; ties keep the report's order. */
const topFindings = (findings: ReadonlyArray<Finding>, limit: number): ReadonlyArray<Finding> =>
  findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (left, right) =>
        severity(left.finding.check) - severity(right.finding.check) ||
        right.finding.count - left.finding.count ||
        left.index - right.index
    )
    .slice(0, limit)
    .map(({ finding }) => finding)

const findingLines = (finding: Finding, position: number): ReadonlyArray<string> => {
  const status = finding.response === undefined ? "no response" : `status ${finding.response.status}`
  return [
    `  ${position}. ${operationLabel(finding.method, finding.path)}  ${finding.check} ×${finding.count}  (${status})`,
    `     ${finding.message}`,
    `     ${finding.curl}`
  ]
}

/** Lists the most frequent reasons why checks could not judge responses, at most `limit` of them. */
const notValidatedLines = (report: RunReport, limit: number): ReadonlyArray<string> => {
  const reasons = report.coverage
    .flatMap((operation) =>
      (operation.notValidated ?? []).map((entry) => ({
        ...entry,
        label: operationLabel(operation.method, operation.path)
      }))
    )
    .sort((left, right) => right.count - left.count)
  if (reasons.length === 0 || limit === 0) return []
  const shown = reasons.slice(0, limit)
  const lines = ["", "Not validated (these responses were not checked and do not count as passed):"]
  for (const entry of shown) lines.push(`  ${entry.label}  ${entry.check} ×${entry.count}: ${entry.reason}`)
  if (reasons.length > shown.length)
    lines.push(
      `  … and ${plural(reasons.length - shown.length, "more reason")}; the JSON report lists them per operation.`
    )
  return lines
}

/** Renders the short plain-text summary of a run: status, counts and the findings seen most often. */
export const renderSummaryText = (report: RunReport, options: SummaryTextOptions = {}): string => {
  const { run, summary } = report
  const limit = Math.max(0, options.maxFindings ?? 5)
  const duration = durationSeconds(run.startedAt, run.finishedAt)
  const lines: Array<string> = [
    `QAWave run ${run.id}: ${run.status.toUpperCase()}${duration === undefined ? "" : ` in ${duration.toFixed(1)} s`} (seed ${run.seed})`,
    `Spec: ${report.spec.title} ${report.spec.version}, target ${report.baseUrl}`
  ]
  if (run.reason !== undefined) lines.push(`Reason: ${run.reason}`)
  const skipped = summary.skippedOperations > 0 ? `, ${summary.skippedOperations} left out` : ""
  lines.push(
    `Operations ${summary.operations} planned${skipped}; scenarios ${summary.scenarios}, flows ${summary.flows.run} (${summary.flows.stopped} stopped early), steps ${summary.steps}`,
    `Findings ${summary.findings}, not validated ${summary.notValidated}, failed requests ${summary.failedRequests}, rate limited ${summary.rateLimited}`
  )
  if (summary.ai !== undefined) lines.push(aiLine(summary.ai))
  lines.push(...notValidatedLines(report, limit))

  const listed = topFindings(report.findings, limit)
  if (listed.length > 0) {
    lines.push("", "Top findings:")
    listed.forEach((finding, index) => {
      lines.push(...findingLines(finding, index + 1))
    })
  }
  const rest = report.findings.length - listed.length
  if (rest > 0) lines.push(`  … and ${plural(rest, "more finding")}; the reports list them all.`)
  if (listed.some((finding) => finding.curl.includes(maskText)))
    lines.push(`  ${maskText} marks a masked secret; put the real value back to replay a request.`)
  if (report.findings.length === 0)
    lines.push("", run.status === "errored" ? "No findings: nothing was tested." : "No findings.")
  lines.push(...noteLines(report.notes))
  return `${lines.join("\n")}\n`
}

/** Notes shown in the summary, at most; the reports list them all. */
const maxNotes = 10

/** Lists the run's notes, such as operations left out and their reasons, and credential warnings. */
const noteLines = (notes: ReadonlyArray<string>): ReadonlyArray<string> => {
  if (notes.length === 0) return []
  // Warnings come first, so that the cap never hides one behind routine notes.
  const ordered = [
    ...notes.filter((note) => note.startsWith("warning:")),
    ...notes.filter((note) => !note.startsWith("warning:"))
  ]
  const lines = ["", "Notes:", ...ordered.slice(0, maxNotes).map((note) => `  ${note}`)]
  if (notes.length > maxNotes)
    lines.push(`  … and ${plural(notes.length - maxNotes, "more note")}; the reports list them all.`)
  return lines
}
