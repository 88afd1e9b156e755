/**
 * The JUnit XML report, for CI systems that show test results: one test suite for the spec, one test
 * case per operation and check.
 */
import type { Finding } from "../check/Finding.js"
import type { RunReport } from "../run/Run.js"
import {
  compareCheckNames,
  durationSeconds,
  escapeXmlAttribute,
  escapeXmlText,
  operationLabel
} from "./text.js"

/** Verdict counts of one check on one operation, as `OperationCoverage.checks` stores them. */
interface Verdicts {
  readonly passed: number
  readonly failed: number
  readonly notValidated: number
}

type CaseOutcome =
  /** `notValidated`: how many responses the check could not judge and why, present when some were. */
  | { readonly kind: "passed"; readonly notValidated?: string }
  | { readonly kind: "failed"; readonly message: string; readonly text: string }
  | { readonly kind: "skipped"; readonly message: string }

interface TestCase {
  readonly classname: string
  readonly name: string
  readonly outcome: CaseOutcome
}

const noVerdicts: Verdicts = { passed: 0, failed: 0, notValidated: 0 }

/** Characters of a response body shown in a JUnit failure; the JSON and HTML reports keep more. */
const junitBodyChars = 1_000

const responseBodyLine = (body: string | undefined): ReadonlyArray<string> => {
  if (body === undefined || body === "") return []
  if (body.length <= junitBodyChars) return [`response body: ${body}`]
  return [
    `response body (first ${junitBodyChars} of ${body.length} characters): ${body.slice(0, junitBodyChars)}`
  ]
}

const describeFinding = (finding: Finding): string => {
  const status = finding.response === undefined ? "no response" : String(finding.response.status)
  return [
    `${finding.message} (seen ${finding.count} ${finding.count === 1 ? "time" : "times"})`,
    `expected: ${finding.expected}`,
    `status: ${status}`,
    `request: ${finding.request.method.toUpperCase()} ${finding.request.url}`,
    ...responseBodyLine(finding.response?.body),
    ...(finding.stepsBefore ?? []).map(
      (step, index) => `step ${index + 1} before it (got ${step.status ?? "no response"}): ${step.curl}`
    ),
    `reproduce: ${finding.curl}`
  ].join("\n")
}

const outcomeOf = (
  verdicts: Verdicts,
  findings: ReadonlyArray<Finding>,
  notValidatedReason: string | undefined
): CaseOutcome => {
  if (findings.length > 0 || verdicts.failed > 0) {
    const first = findings[0]
    const message =
      first === undefined
        ? `${verdicts.failed} failed ${verdicts.failed === 1 ? "verdict" : "verdicts"}`
        : findings.length === 1
          ? first.message
          : `${findings.length} findings; first: ${first.message}`
    return { kind: "failed", message, text: findings.map(describeFinding).join("\n\n") }
  }
  if (verdicts.passed === 0 && verdicts.notValidated > 0) {
    return {
      kind: "skipped",
      message: notValidatedReason === undefined ? "not validated" : `not validated: ${notValidatedReason}`
    }
  }
  if (verdicts.passed === 0) return { kind: "skipped", message: "no verdicts" }
  if (verdicts.notValidated > 0) {
    const reasonText = notValidatedReason === undefined ? "" : `: ${notValidatedReason}`
    return {
      kind: "passed",
      notValidated: `${verdicts.passed} responses passed; ${verdicts.notValidated} were not validated${reasonText}`
    }
  }
  return { kind: "passed" }
}

/**
 * Lists the test cases in coverage order. Findings of a check or an operation that the coverage does
 * not list still get a test case, so that no finding is missing from the XML.
 */
const testCasesOf = (report: RunReport): ReadonlyArray<TestCase> => {
  const cases: Array<TestCase> = []
  const covered = new Set<string>()

  for (const operation of report.coverage) {
    covered.add(operation.operationId)
    const findings = report.findings.filter((finding) => finding.operationId === operation.operationId)
    const checkNames = new Set([
      ...Object.keys(operation.checks),
      ...findings.map((finding) => finding.check)
    ])
    for (const check of [...checkNames].sort(compareCheckNames)) {
      const verdicts = operation.checks[check] ?? noVerdicts
      const ofCheck = findings.filter((finding) => finding.check === check)
      cases.push({
        classname: operationLabel(operation.method, operation.path),
        name: check,
        outcome: outcomeOf(
          verdicts,
          ofCheck,
          operation.notValidated?.find((entry) => entry.check === check)?.reason
        )
      })
    }
  }

  const uncovered = report.findings.filter((finding) => !covered.has(finding.operationId))
  const groups = new Map<string, Array<Finding>>()
  for (const finding of uncovered) {
    const key = `${operationLabel(finding.method, finding.path)}\u0000${finding.check}`
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [finding])
    else group.push(finding)
  }
  for (const group of groups.values()) {
    const first = group[0]
    if (first === undefined) continue
    cases.push({
      classname: operationLabel(first.method, first.path),
      name: first.check,
      outcome: outcomeOf(noVerdicts, group, undefined)
    })
  }
  return cases
}

const renderTestCase = (testCase: TestCase): string => {
  const open = `    <testcase classname="${escapeXmlAttribute(testCase.classname)}" name="${escapeXmlAttribute(testCase.name)}"`
  switch (testCase.outcome.kind) {
    case "passed":
      // JUnit has no partial verdict, so responses the check could not judge are written as output.
      return testCase.outcome.notValidated === undefined
        ? `${open}/>`
        : `${open}>\n      <system-out>${escapeXmlText(testCase.outcome.notValidated)}</system-out>\n    </testcase>`
    case "skipped":
      return `${open}>\n      <skipped message="${escapeXmlAttribute(testCase.outcome.message)}"/>\n    </testcase>`
    case "failed":
      return [
        `${open}>`,
        `      <failure message="${escapeXmlAttribute(testCase.outcome.message)}" type="check">${escapeXmlText(testCase.outcome.text)}</failure>`,
        "    </testcase>"
      ].join("\n")
  }
}

/** Renders each operation left out of the run as a skipped test case, so that CI dashboards show it. */
const leftOutCases = (report: RunReport): ReadonlyArray<string> =>
  (report.leftOut ?? []).map((entry) =>
    [
      `    <testcase classname="${escapeXmlAttribute(entry.operationId)}" name="left out">`,
      `      <skipped message="${escapeXmlAttribute(entry.reason)}"/>`,
      "    </testcase>"
    ].join("\n")
  )

/** Renders a run that errored or was cancelled as one error test case, so that CI marks the job as broken. */
const runErrorCase = (report: RunReport): string | undefined => {
  const { status, reason } = report.run
  if (status !== "errored" && status !== "cancelled") return undefined
  const message = reason ?? `run ${status}`
  return [
    `    <testcase classname="qawave" name="run">`,
    `      <error message="${escapeXmlAttribute(message)}" type="run_${status}">${escapeXmlText(message)}</error>`,
    "    </testcase>"
  ].join("\n")
}

const renderProperties = (report: RunReport): string => {
  const properties: ReadonlyArray<readonly [string, string]> = [
    ["run.id", report.run.id],
    ["run.status", report.run.status],
    ["run.seed", String(report.run.seed)],
    ["spec.version", report.spec.version],
    ["spec.source", report.spec.source],
    ["baseUrl", report.baseUrl]
  ]
  const lines = properties.map(
    ([name, value]) =>
      `      <property name="${escapeXmlAttribute(name)}" value="${escapeXmlAttribute(value)}"/>`
  )
  return ["    <properties>", ...lines, "    </properties>"].join("\n")
}

/** Renders the JUnit XML report of a run. Characters XML 1.0 forbids are removed from all text. */
export const toJUnitReport = (report: RunReport): string => {
  const cases = testCasesOf(report)
  const errorCase = runErrorCase(report)
  const errors = errorCase === undefined ? 0 : 1
  const tests = cases.length + errors + (report.leftOut?.length ?? 0)
  const failures = cases.filter((testCase) => testCase.outcome.kind === "failed").length
  const leftOut = report.leftOut?.length ?? 0
  const skipped = cases.filter((testCase) => testCase.outcome.kind === "skipped").length + leftOut
  const time = (durationSeconds(report.run.startedAt, report.run.finishedAt) ?? 0).toFixed(3)
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}"`
  const name = escapeXmlAttribute(report.spec.title)
  const notes = report.notes.join("\n")

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="QAWave" ${counts}>`,
    `  <testsuite name="${name}" ${counts} timestamp="${escapeXmlAttribute(report.run.startedAt)}">`,
    renderProperties(report),
    ...cases.map(renderTestCase),
    ...leftOutCases(report),
    ...(errorCase === undefined ? [] : [errorCase]),
    ...(notes.length === 0 ? [] : [`    <system-out>${escapeXmlText(notes)}</system-out>`]),
    "  </testsuite>",
    "</testsuites>"
  ]
  return `${lines.join("\n")}\n`
}
