/**
 * Child process: one QAWave run against the minimal target, for its peak memory. Usage:
 * `node memory-child.mjs <targetUrl> <specFile> <maxScenariosPerOperation>`. Prints one JSON line
 * with the steps, the peak RSS (`process.resourceUsage().maxRSS`, in KiB on Linux) and a series of
 * RSS and heap samples taken every 500 ms while the run goes on, and the heap in use after a full
 * collection at the end, with the report still held.
 *
 * It is plain JavaScript run by plain `node`, so it loads the built `@qawave/core` as users do and
 * its memory includes no TypeScript loader.
 */
import { run } from "@qawave/core"

const [targetUrl = "", specFile = "", maxText = "100"] = process.argv.slice(2)
const mebibyte = 1024 * 1024

const startRssMb = process.memoryUsage().rss / mebibyte
/** @type {Array<{ seconds: number, rssMb: number, heapUsedMb: number }>} */
const series = []
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
  spec: specFile,
  baseUrl: targetUrl,
  seed: 1,
  concurrency: 10,
  maxScenariosPerOperation: Number(maxText)
})
clearInterval(timer)
const seconds = (performance.now() - started) / 1_000
const peakRssMb = process.resourceUsage().maxRSS / 1024
// The parent starts this child with --expose-gc, so the heap left after a full collection can be read.
globalThis.gc?.()
const liveHeapMb = process.memoryUsage().heapUsed / mebibyte

// Keep at most 40 evenly spaced samples, so the JSON stays readable.
const stride = Math.max(1, Math.ceil(series.length / 40))
process.stdout.write(
  `${JSON.stringify({
    steps: report.summary.steps,
    findings: report.summary.findings,
    seconds,
    startRssMb,
    peakRssMb,
    liveHeapMb,
    series: series.filter((_, index) => index % stride === 0)
  })}\n`
)
