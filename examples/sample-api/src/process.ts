/**
 * Starts the sample API in a child process on a free port, for demos and benchmarks that must not
 * share an event loop with the API they measure.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const mainScript = join(dirname(fileURLToPath(import.meta.url)), "main.ts")

export interface SampleApiProcess {
  readonly baseUrl: string
  readonly close: () => Promise<void>
}

const waitForUrl = (child: ChildProcess, timeoutMs: number) =>
  new Promise<string>((resolve, reject) => {
    let output = ""
    const timer = setTimeout(
      () => reject(new Error(`the sample API did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs
    )
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        child.stdout?.off("data", onData)
        resolve(match[1])
      }
    }
    child.stdout?.on("data", onData)
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`the sample API exited with code ${code} before it listened:\n${output}`))
    })
  })

/** Starts `src/main.ts` with tsx on port 0 and resolves once it listens. */
export const startSampleApiProcess = async (
  options: { readonly bugs?: boolean } = {}
): Promise<SampleApiProcess> => {
  const child = spawn(process.execPath, ["--import", "tsx", mainScript], {
    env: { ...process.env, PORT: "0", BUGS: options.bugs === false ? "false" : "true" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  const baseUrl = await waitForUrl(child, 20_000)
  return {
    baseUrl,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once("exit", () => resolve())
        child.kill("SIGTERM")
      })
  }
}
