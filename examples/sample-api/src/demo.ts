/**
 * The demo runner shared by `pnpm demo` and `pnpm demo:ai`. It starts the sample API in its own process,
 * so that the API's work never delays QAWave's timing of its responses, and runs `qawave run` against it
 * as a user would.
 */
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { runCli } from "@qawave/server"
import { startSampleApiProcess } from "./process.js"

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), "..")

/** Where a demo writes its reports: `.qawave/<name>` at the repository root. */
export const demoOutput = (name: string): string => join(exampleDir, "..", "..", ".qawave", name)

/**
 * Runs `qawave run` with the demo credentials and reports in `output`, adding `extraArgs` and the
 * command line's own arguments, and returns the process exit code to use.
 */
export const runDemo = async (output: string, extraArgs: ReadonlyArray<string> = []): Promise<number> => {
  const api = await startSampleApiProcess()
  console.error(`sample API listening on ${api.baseUrl}`)
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
        "--report-json",
        join(output, "report.json"),
        "--report-junit",
        join(output, "report.junit.xml"),
        "--report-html",
        join(output, "report.html"),
        ...extraArgs,
        ...process.argv.slice(2)
      ],
      {
        out: (text) => void process.stdout.write(`${text}\n`),
        err: (text) => void process.stderr.write(`${text}\n`),
        interactive: process.stderr.isTTY === true
      }
    )
    console.error(`\nreports written to ${output}`)
    // Findings are the point of the demo (the sample API has bugs planted on purpose), so exit code 1
    // from `qawave run` is a success here; 2 and 3 are real failures.
    return code <= 1 ? 0 : code
  } finally {
    await api.close()
  }
}
