/**
 * Child process: one QAWave run against the minimal target, for its peak memory. Usage:
 * `memory-child.ts <targetUrl> <operations> <queryParameters> <maxScenariosPerOperation>`. Prints one
 * JSON line with the steps, the peak RSS (`process.resourceUsage().maxRSS`, in KiB on Linux) and a
 * series of RSS and heap samples taken every 500 ms while the run goes on.
 */
import { run } from "@qawave/core"
import { buildItemsSpec } from "./spec.js"

const [targetUrl = "", operationsText = "100", queryText = "60", maxText = "100"] = process.argv.slice(2)
const mebibyte = 1024 * 1024

const startRssMb = process.memoryUsage().rss / mebibyte
const series: Array<{ readonly seconds: number; readonly rssMb: number; readonly heapUsedMb: number }> = []
const started = performance.now()
const timer = setInterval(() => {
  const usage = process.memoryUsage()
  series.push({
    seconds: Math.round((performance.now() - started) / 100) / 10,
    rssMb: Math.round(usage.rss / mebibyte),
    heapUsedMb: Math.round(usage.heapUsed / mebibyte)
  })
}, 500)

const report = await run({
  spec: { document: buildItemsSpec(Number(operationsText), Number(queryText)) },
  baseUrl: targetUrl,
  seed: 1,
  concurrency: 10,
  maxScenariosPerOperation: Number(maxText)
})
clearInterval(timer)
const seconds = (performance.now() - started) / 1_000

// Keep at most 40 evenly spaced samples, so the JSON stays readable.
const stride = Math.max(1, Math.ceil(series.length / 40))
process.stdout.write(
  `${JSON.stringify({
    steps: report.summary.steps,
    findings: report.summary.findings,
    seconds,
    startRssMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    series: series.filter((_, index) => index % stride === 0)
  })}\n`
)
