/**
 * The JSON report: a stable contract for scripts. Field names and nesting are fixed. Only `summary`
 * may gain fields, and each finding carries `expected` and `provenance` besides the fixed ones.
 */
import type { Finding } from "../check/Finding.js"
import type { OperationCoverage, RunReport, RunStatus, RunSummary } from "../run/Run.js"
import type { Provenance } from "../scenario/Scenario.js"

/** The `run` object of the JSON report; `finishedAt` is null while a run has not finished. */
export interface JsonReportRun {
  readonly id: string
  readonly status: RunStatus
  readonly seed: number
  readonly startedAt: string
  readonly finishedAt: string | null
  /** The reason the run was cancelled or errored, present only then. */
  readonly reason?: string
}

/** One operation's statuses: declared as the spec writes them (`200`, `4XX`, `default`), seen as numbers. */
export interface JsonReportCoverage {
  readonly operationId: string
  /** Lowercase, as in the spec. */
  readonly method: string
  readonly path: string
  readonly statusesDeclared: ReadonlyArray<string>
  readonly statusesSeen: ReadonlyArray<number>
  /** Reasons checks could not judge some responses, present only when that happened. */
  readonly notValidated?: ReadonlyArray<{
    readonly check: string
    readonly reason: string
    readonly count: number
  }>
}

/** The request of a finding; `method` is uppercase as sent, `body` is null when none was sent. */
export interface JsonReportRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | null
}

/** The response of a finding, as recorded (body possibly truncated to the recording limit). */
export interface JsonReportResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** One finding; `response` is null when the request got no response. */
export interface JsonReportFinding {
  readonly id: string
  readonly operationId: string
  /** Lowercase, as in the spec and in `coverage`. */
  readonly method: string
  readonly path: string
  readonly check: string
  readonly count: number
  readonly message: string
  readonly request: JsonReportRequest
  readonly response: JsonReportResponse | null
  readonly curl: string
  /**
   * For a finding of a flow: the steps before the failing one, in order, each with its status (null
   * without a response) and curl line. Their ids differ on another server, so run them first and use
   * the ids they return.
   */
  readonly stepsBefore?: ReadonlyArray<{
    readonly method: string
    readonly url: string
    readonly status: number | null
    readonly curl: string
  }>
  readonly expected: string
  readonly provenance: Provenance
}

/** The whole JSON report. */
export interface JsonReport {
  readonly run: JsonReportRun
  readonly summary: RunSummary
  readonly coverage: ReadonlyArray<JsonReportCoverage>
  readonly findings: ReadonlyArray<JsonReportFinding>
  /** Operations left out with their reasons, credential warnings and generation notes. */
  readonly notes: ReadonlyArray<string>
}

const toRun = (report: RunReport): JsonReportRun => ({
  id: report.run.id,
  status: report.run.status,
  seed: report.run.seed,
  startedAt: report.run.startedAt,
  finishedAt: report.run.finishedAt ?? null,
  ...(report.run.reason === undefined ? {} : { reason: report.run.reason })
})

// The contract's fields come first, in the documented order, so a diff of two reports reads easily.
const toSummary = (summary: RunSummary): RunSummary => ({
  operations: summary.operations,
  scenarios: summary.scenarios,
  steps: summary.steps,
  findings: summary.findings,
  notValidated: summary.notValidated,
  skippedOperations: summary.skippedOperations,
  failedRequests: summary.failedRequests,
  rateLimited: summary.rateLimited,
  flows: summary.flows,
  ...(summary.ai === undefined ? {} : { ai: summary.ai })
})

const toCoverage = (coverage: OperationCoverage): JsonReportCoverage => ({
  operationId: coverage.operationId,
  method: coverage.method.toLowerCase(),
  path: coverage.path,
  statusesDeclared: [...coverage.statusesDeclared],
  statusesSeen: [...coverage.statusesSeen],
  ...(coverage.notValidated === undefined
    ? {}
    : { notValidated: coverage.notValidated.map((entry) => ({ ...entry })) })
})

const toFinding = (finding: Finding): JsonReportFinding => ({
  id: finding.id,
  operationId: finding.operationId,
  method: finding.method.toLowerCase(),
  path: finding.path,
  check: finding.check,
  count: finding.count,
  message: finding.message,
  request: {
    method: finding.request.method.toUpperCase(),
    url: finding.request.url,
    headers: { ...finding.request.headers },
    body: finding.request.body ?? null
  },
  response:
    finding.response === undefined
      ? null
      : {
          status: finding.response.status,
          headers: { ...finding.response.headers },
          body: finding.response.body
        },
  curl: finding.curl,
  ...(finding.stepsBefore === undefined
    ? {}
    : {
        stepsBefore: finding.stepsBefore.map((step) => ({
          method: step.request.method.toUpperCase(),
          url: step.request.url,
          status: step.status ?? null,
          curl: step.curl
        }))
      }),
  expected: finding.expected,
  provenance: finding.provenance
})

/** Builds the JSON report object of a run, in the contract's shape. */
export const jsonReportOf = (report: RunReport): JsonReport => ({
  run: toRun(report),
  summary: toSummary(report.summary),
  coverage: report.coverage.map(toCoverage),
  findings: report.findings.map(toFinding),
  notes: [...report.notes]
})

/** Pretty-prints `value` with 2 spaces, as a member `depth` levels deep in the report. */
const nested = (value: unknown, depth: number): string =>
  // Newlines inside JSON strings are escaped, so every raw newline is one of the layout's.
  JSON.stringify(value, null, 2).replaceAll("\n", `\n${"  ".repeat(depth)}`)

/**
 * Renders the JSON report in pieces, one finding at a time, so that writing a report with thousands
 * of findings never keeps its whole text in memory. Joined, the pieces are exactly `toJsonReport`'s text.
 */
export function* jsonReportChunks(report: RunReport): Generator<string> {
  yield `{\n  "run": ${nested(toRun(report), 1)},\n`
  yield `  "summary": ${nested(toSummary(report.summary), 1)},\n`
  yield `  "coverage": ${nested(report.coverage.map(toCoverage), 1)},\n`
  const { findings } = report
  if (findings.length === 0) yield `  "findings": [],\n`
  else {
    yield `  "findings": [\n`
    for (let index = 0; index < findings.length; index++) {
      const separator = index + 1 < findings.length ? "," : ""
      yield `    ${nested(toFinding(findings[index]!), 2)}${separator}\n`
    }
    yield "  ],\n"
  }
  yield `  "notes": ${nested(report.notes, 1)}\n}\n`
}

/** Renders the JSON report: pretty-printed with 2 spaces and a trailing newline. */
export const toJsonReport = (report: RunReport): string => Array.from(jsonReportChunks(report)).join("")
