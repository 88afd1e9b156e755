/**
 * `pnpm demo:ai`: like `pnpm demo`, with the AI generator. It starts the sample API (with its planted
 * bugs) and the local OpenAI-compatible model server, runs `qawave run` against the API with both
 * generators, then prints the model usage. AI scenarios are cached in .qawave/demo-ai/cache, so a
 * second `pnpm demo:ai` sends no generation request to the model. Reports go to .qawave/demo-ai/.
 */
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { startModelServer } from "@qawave/core/model-server"
import { demoOutput, runDemo } from "./src/demo.js"

const output = demoOutput("demo-ai")
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

const model = await startModelServer({ port: 0 })
console.error(`local model server listening on ${model.baseUrl}`)
try {
  process.exitCode = await runDemo(output, [
    "--ai-base-url",
    model.baseUrl,
    "--ai-model",
    "qawave-local",
    "--ai-cache-dir",
    join(output, "cache")
  ])
  const generationRequests = model.requests.filter((request) => request.path.endsWith("/chat/completions"))
  console.error(`AI usage: ${await describeAiUsage()}`)
  console.error(`chat completion requests received by the local model server: ${generationRequests.length}`)
} finally {
  await model.close()
}
