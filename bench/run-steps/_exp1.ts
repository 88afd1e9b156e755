import { spawn } from "node:child_process"
import { run } from "@qawave/core"
import { buildItemsSpec } from "./spec.js"

const child = spawn(process.execPath, ["--import", "tsx", "/work/main/bench/run-steps/target.ts"], {
  cwd: "/work/main/bench",
  stdio: ["ignore", "pipe", "inherit"]
})
const port: number = await new Promise((resolve) =>
  child.stdout.once("data", (d) => resolve(JSON.parse(String(d)).port))
)
const [ops, q, max] = process.argv.slice(2).map(Number)
const t0 = performance.now()
const report = await run({
  spec: { document: buildItemsSpec(ops!, q!) },
  baseUrl: `http://127.0.0.1:${port}`,
  maxScenariosPerOperation: max!,
  seed: 1,
  concurrency: 10
})
const s = (performance.now() - t0) / 1000
console.log(
  JSON.stringify(report.summary),
  s.toFixed(2),
  (report.summary.steps / s).toFixed(0),
  "steps/s",
  "rss",
  (process.resourceUsage().maxRSS / 1024).toFixed(0)
)
console.log(report.notes.slice(0, 5))
child.kill()
