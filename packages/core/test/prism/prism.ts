/**
 * Runs the Prism mock server (`@stoplight/prism-cli`, installed at the workspace root) as a child
 * process on a free loopback port, for as long as a scope lasts.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { createServer } from "node:net"
import { join } from "node:path"
import { Data, Effect } from "effect"

const prismBin = join(import.meta.dirname, "..", "..", "..", "..", "node_modules", ".bin", "prism")

// Prism prints this line on stdout once it accepts connections.
const readyLine = "Prism is listening"

/** Prism did not start listening, or exited before it did. */
export class PrismStartError extends Data.TaggedError("PrismStartError")<{
  readonly spec: string
  readonly reason: string
  /** What Prism printed on stdout and stderr, for the failure message. */
  readonly output: string
}> {}

export interface PrismOptions {
  /** `-d`: responses generated from the schemas instead of the spec's examples. */
  readonly dynamic?: boolean
  /** Milliseconds to wait for the ready line. */
  readonly startTimeoutMs?: number
}

export interface PrismServer {
  readonly baseUrl: string
  readonly pid: number
}

// Children still alive, so that an `afterAll` can end them if a scope was never closed.
const running = new Set<ChildProcess>()

/** Finds a free TCP port on 127.0.0.1 by listening on port 0 and closing again. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** Sends SIGTERM, then SIGKILL after `graceMs`, and resolves when the child has exited. */
export const stopChild = async (child: ChildProcess, graceMs = 2_000): Promise<void> => {
  running.delete(child)
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, "exit")
  child.kill("SIGTERM")
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs)
  await exited
  clearTimeout(timer)
}

/** Stops every Prism child that is still running, for `afterAll`. */
export const stopAll = (): Promise<void> =>
  Promise.all([...running].map((child) => stopChild(child))).then(() => undefined)

const waitForReady = (child: ChildProcess, timeoutMs: number): Promise<{ ready: boolean; output: string }> =>
  new Promise((resolve) => {
    let output = ""
    const finish = (ready: boolean) => {
      clearTimeout(timer)
      child.stdout?.off("data", onData)
      child.stderr?.off("data", onData)
      child.off("exit", onExit)
      resolve({ ready, output })
    }
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      if (output.includes(readyLine)) finish(true)
    }
    const onExit = () => finish(false)
    const timer = setTimeout(() => finish(false), timeoutMs)
    child.stdout?.on("data", onData)
    child.stderr?.on("data", onData)
    child.once("exit", onExit)
  })

const start = async (spec: string, options: PrismOptions): Promise<{ child: ChildProcess; port: number }> => {
  const port = await freePort()
  const args = ["mock", spec, "-h", "127.0.0.1", "-p", String(port)]
  if (options.dynamic === true) args.push("-d")
  const child = spawn(prismBin, args, { stdio: ["ignore", "pipe", "pipe"] })
  running.add(child)
  const { ready, output } = await waitForReady(child, options.startTimeoutMs ?? 30_000)
  // Prism logs every request; the pipes are drained so that a full buffer never blocks it.
  child.stdout?.resume()
  child.stderr?.resume()
  if (!ready) {
    await stopChild(child)
    throw new PrismStartError({ spec, reason: `no "${readyLine}" line`, output: output.slice(-2_000) })
  }
  return { child, port }
}

/** Starts `prism mock <spec>` for the scope; the process is stopped when the scope closes. */
export const startPrism = (spec: string, options: PrismOptions = {}) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => start(spec, options),
      catch: (cause) =>
        cause instanceof PrismStartError
          ? cause
          : new PrismStartError({ spec, reason: String(cause), output: "" })
    }),
    ({ child }) => Effect.promise(() => stopChild(child))
  ).pipe(
    Effect.map(
      ({ child, port }): PrismServer => ({ baseUrl: `http://127.0.0.1:${port}`, pid: child.pid ?? -1 })
    )
  )
