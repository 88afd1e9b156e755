/**
 * `pnpm demo:ai`: like `pnpm demo`, with the AI generator. It starts the sample API (with its planted
 * bugs) and the local OpenAI-compatible model server, runs `qawave run` against the API with both
 * generators, then prints the model usage. AI scenarios are cached in .qawave/demo-ai/cache, so a
 * second `pnpm demo:ai` sends no generation request to the model. Reports go to .qawave/demo-ai/.
 */
import { readFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { startModelServer } from "@qawave/core/model-server"
import { runCli } from "@qawave/server"
import { startSampleApi } from "./src/server.js"

const exampleDir = dirname(fileURLToPath(import.meta.url))
const output = join(exampleDir, "..", "..", ".qawave", "demo-ai")
const reportJson = join(output, "report.json")

/** Describes the model usage recorded in the JSON report, or why it could not be read. */
const describeAiUsage = async (): Promise<string> => {
  try {
    const report = JSON.parse(await readFile(reportJson, "utf8")) as { summary?: { ai?: unknown } }
    const usage = report.summary?.ai
    return usage === undefined ? `none recorded in ${reportJson}` : JSON.stringify(usage)
  } catch (error) {
    return `not available, because ${reportJson} could not be read: ${String(error)}`
  }
}

const api = await startSampleApi()
const model = await startModelServer({ port: 0 })
console.error(`sample API listening on ${api.baseUrl}`)
console.error(`local model server listening on ${model.baseUrl}`)
try {
  const code = await runCli(
    [
      "run",
      join(exampleDir, "openapi.yaml"),
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
      "--ai-base-url",
      model.baseUrl,
      "--ai-model",
      "qawave-local",
      "--ai-cache-dir",
      join(output, "cache"),
      "--report-json",
      reportJson,
      "--report-junit",
      join(output, "report.junit.xml"),
      "--report-html",
      join(output, "report.html"),
      ...process.argv.slice(2)
    ],
    {
      out: (text) => void process.stdout.write(`${text}\n`),
      err: (text) => void process.stderr.write(`${text}\n`),
      interactive: process.stderr.isTTY === true
    }
  )
  const generationRequests = model.requests.filter((request) => request.path.endsWith("/chat/completions"))
  console.error(`\nAI usage: ${await describeAiUsage()}`)
  console.error(`chat completion requests received by the local model server: ${generationRequests.length}`)
  console.error(`reports written to ${output}`)
  // Findings are the point of the demo (the sample API has bugs planted on purpose), so exit code 1
  // from `qawave run` is a success here; 2 and 3 are real failures.
  process.exitCode = code <= 1 ? 0 : code
} finally {
  await model.close()
  await api.close()
}
