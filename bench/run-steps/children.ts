/**
 * Child processes of `pnpm bench run`. Every measured program runs in its own Node process, so a
 * measurement neither shares the event loop with the target nor inherits the heap of an earlier one.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export const runStepsDir = dirname(fileURLToPath(import.meta.url))
export const benchDir = join(runStepsDir, "..")

/** Node flags that run a TypeScript file of this folder with `@qawave/core` resolved to its source. */
const tsxFlags = ["--conditions=@qawave/source", "--import", "tsx"]

/** Settings of a child script. */
export interface ScriptOptions {
  readonly nodeFlags?: ReadonlyArray<string>
  readonly env?: NodeJS.ProcessEnv
  /**
   * Whether the script is TypeScript run through tsx with `@qawave/core` from source (the default).
   * A plain JavaScript script runs under plain `node` and loads the built packages.
   */
  readonly typescript?: boolean
}

/** Spawns `node <flags> run-steps/<script> <args>` with stdout piped and stderr passed through. */
export const spawnScript = (
  script: string,
  args: ReadonlyArray<string>,
  options: ScriptOptions = {}
): ChildProcess =>
  spawn(
    process.execPath,
    [
      ...(options.nodeFlags ?? []),
      ...(options.typescript === false ? [] : tsxFlags),
      join(runStepsDir, script),
      ...args
    ],
    {
      cwd: benchDir,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "inherit"]
    }
  )

/** Resolves with the first stdout line of `child` that parses as JSON. */
export const nextJsonLine = (child: ChildProcess, timeoutMs: number): Promise<unknown> =>
  new Promise((resolve, reject) => {
    let buffered = ""
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`child ${child.pid} printed no JSON line within ${timeoutMs} ms`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString("utf8")
      let newline = buffered.indexOf("\n")
      while (newline !== -1) {
        const line = buffered.slice(0, newline).trim()
        buffered = buffered.slice(newline + 1)
        if (line.startsWith("{")) {
          cleanup()
          resolve(JSON.parse(line))
          return
        }
        newline = buffered.indexOf("\n")
      }
    }
    const onExit = (code: number | null) => {
      cleanup()
      reject(new Error(`child ${child.pid} exited with code ${code} before printing a JSON line`))
    }
    const cleanup = () => {
      clearTimeout(timer)
      child.stdout?.off("data", onData)
      child.off("exit", onExit)
    }
    child.stdout?.on("data", onData)
    child.once("exit", onExit)
  })

/** Runs a script to its end and resolves with the first JSON line it printed. */
export const runJsonScript = async (
  script: string,
  args: ReadonlyArray<string>,
  options: ScriptOptions & { readonly timeoutMs: number }
): Promise<unknown> => {
  const child = spawnScript(script, args, options)
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  try {
    return await nextJsonLine(child, options.timeoutMs)
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM")
    await exited
  }
}

/** A server running in a child process, and how to stop it. */
export interface ChildServer {
  readonly url: string
  /** Sends SIGTERM and resolves with the JSON line the child prints on its way out, if any. */
  readonly stop: () => Promise<unknown>
}

/** Starts a server script that prints `{"url": ...}` or `{"port": ...}` once it listens. */
export const startServer = async (script: string, args: ReadonlyArray<string> = []): Promise<ChildServer> => {
  const child = spawnScript(script, args)
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const started = (await nextJsonLine(child, 30_000)) as { readonly url?: string; readonly port?: number }
  const url = started.url ?? `http://127.0.0.1:${started.port}`
  return {
    url,
    stop: async () => {
      const farewell = nextJsonLine(child, 10_000).catch(() => undefined)
      child.kill("SIGTERM")
      const [line] = await Promise.all([farewell, exited])
      return line
    }
  }
}

/** Median of a non-empty list of numbers. */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
