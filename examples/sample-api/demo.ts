/**
 * `pnpm demo`: starts the sample API (with its planted bugs) in its own process and runs `qawave run`
 * against it with the in-memory defaults, as a user would from a terminal. Reports go to .qawave/demo/.
 */
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { runCli } from "@qawave/server"
import { startSampleApiProcess } from "./src/process.js"

const here = dirname(fileURLToPath(import.meta.url))
const reports = join(here, "..", "..", ".qawave", "demo")

// The API runs in a child process so that its work never delays QAWave's timing of its responses.
const api = await startSampleApiProcess()
console.error(`sample API listening on ${api.baseUrl}`)
try {
  const code = await runCli(
    [
      "run",
      join(here, "openapi.yaml"),
      "--base-url",
      api.baseUrl,
      "--bearer-token",
      "demo-token",
      "--api-key",
      "adminKey=demo-admin",
      "--max-response-time",
      "1s",
      "--seed",
      "1",
      "--report-json",
      join(reports, "report.json"),
      "--report-junit",
      join(reports, "report.junit.xml"),
      "--report-html",
      join(reports, "report.html"),
      ...process.argv.slice(2)
    ],
    {
      out: (text) => void process.stdout.write(`${text}\n`),
      err: (text) => void process.stderr.write(`${text}\n`),
      interactive: process.stderr.isTTY === true
    }
  )
  console.error(`\nreports written to ${reports}`)
  // Findings are the point of the demo (the sample API has bugs planted on purpose), so exit code 1
  // from `qawave run` is a success here; 2 and 3 are real failures.
  process.exitCode = code <= 1 ? 0 : code
} finally {
  await api.close()
}
