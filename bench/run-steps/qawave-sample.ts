/**
 * Child process: one QAWave run of the sample API's spec against `<baseUrl>`, with the sample API's
 * demo credentials, as `pnpm demo` runs it. Usage: `qawave-sample.ts <specPath> <baseUrl>`. Prints
 * one JSON line with the run's summary and the number of findings.
 */

import { run } from "@qawave/core"
import { Redacted } from "effect"

const [specPath = "", baseUrl = ""] = process.argv.slice(2)
const started = performance.now()
const report = await run({
  spec: specPath,
  baseUrl,
  seed: 1,
  credentials: {
    bearer: Redacted.make("demo-token"),
    apiKeys: { adminKey: Redacted.make("demo-admin") }
  }
})
process.stdout.write(
  `${JSON.stringify({
    runSeconds: (performance.now() - started) / 1_000,
    steps: report.summary.steps,
    findings: report.findings.length,
    checks: [...new Set(report.findings.map((finding) => finding.check))].sort()
  })}\n`
)
