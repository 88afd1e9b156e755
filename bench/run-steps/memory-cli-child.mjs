/**
 * Child process: one `qawave run` of the built CLI against the minimal target, for its peak memory.
 * Usage: `node memory-cli-child.mjs <targetUrl> <specFile> <maxScenariosPerOperation>`. The CLI runs
 * in this process as its own bin would run it, with its heap policy. On exit the child prints one JSON
 * line with the steps and findings of the JSON report, the exit code and the peak RSS.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
// Loaded before the start is measured, as the library child loads it, so both start figures compare.
import "@qawave/core"

const [targetUrl = "", specFile = "", maxText = "100"] = process.argv.slice(2)
const mebibyte = 1024 * 1024
const directory = mkdtempSync(join(tmpdir(), "qawave-bench-cli-"))
const reportFile = join(directory, "report.json")
const cli = new URL("../../packages/server/dist/bin.js", import.meta.url)

const startRssMb = process.memoryUsage().rss / mebibyte
const started = performance.now()
process.on("exit", (code) => {
  const seconds = (performance.now() - started) / 1_000
  const peakRssMb = process.resourceUsage().maxRSS / 1024
  let steps = 0
  let findings = 0
  try {
    const report = JSON.parse(readFileSync(reportFile, "utf8"))
    steps = report.summary.steps
    findings = report.summary.findings
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
  process.stdout.write(
    `${JSON.stringify({ steps, findings, seconds, startRssMb, peakRssMb, exitCode: code })}\n`
  )
})

// The CLI reads its arguments from process.argv, as its bin does.
process.argv = [
  process.argv[0] ?? "node",
  "qawave",
  "run",
  specFile,
  "--base-url",
  targetUrl,
  "--seed",
  "1",
  "--concurrency",
  "10",
  "--max-scenarios-per-operation",
  maxText,
  "--report-json",
  reportFile,
  "--no-progress"
]
await import(cli.href)
