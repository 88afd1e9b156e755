/**
 * QAWave, Dredd 14 and Step CI 2.8 on the sample API with its planted bugs. Each tool gets a fresh
 * sample API (fresh data) behind a counting proxy in a child process, so the request count is taken
 * at the target and no tool is affected by the data another tool changed. Every tool is given the sample API's demo
 * credentials and targets only the proxy on 127.0.0.1.
 */
import { spawn } from "node:child_process"
import { closeSync, openSync } from "node:fs"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { benchDir, runJsonScript, startServer } from "./children.js"

const specPath = join(benchDir, "..", "examples", "sample-api", "openapi.yaml")
const coreDir = join(benchDir, "..", "packages", "core")
const binDir = join(benchDir, "node_modules", ".bin")
const toolTimeoutMs = 180_000
const credentialHeaders = { Authorization: "Bearer demo-token", "X-Admin-Key": "demo-admin" }

/** One tool's row of the comparison; `seconds`, `requests` and `findings` are absent when it could not run. */
export interface ToolResult {
  readonly name: string
  readonly version: string
  readonly seconds?: number
  readonly requests?: number
  readonly findings?: number
  readonly note: string
}

interface CommandResult {
  readonly code: number | null
  readonly output: string
  readonly seconds: number
}

/**
 * Runs a command to its end, with analytics switched off, and returns its stdout and stderr together.
 * The output goes to a file, not a pipe: Dredd exits with `process.exit` and loses piped output that
 * is still buffered.
 */
const runCommand = async (command: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) => {
  const logDir = await mkdtemp(join(tmpdir(), "qawave-bench-tool-"))
  const logPath = join(logDir, "output.log")
  const log = openSync(logPath, "w")
  try {
    const started = performance.now()
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: benchDir,
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", STEPCI_DISABLE_ANALYTICS: "1", ...env },
        stdio: ["ignore", log, log]
      })
      const timer = setTimeout(() => child.kill("SIGTERM"), toolTimeoutMs)
      child.once("error", (error) => {
        clearTimeout(timer)
        reject(error)
      })
      child.once("close", (exitCode) => {
        clearTimeout(timer)
        resolve(exitCode)
      })
    })
    const seconds = (performance.now() - started) / 1_000
    return { code, output: await readFile(logPath, "utf8"), seconds } satisfies CommandResult
  } finally {
    closeSync(log)
    await rm(logDir, { recursive: true, force: true })
  }
}

const installedVersion = async (name: string): Promise<string> => {
  const text = await readFile(join(benchDir, "node_modules", name, "package.json"), "utf8")
  return (JSON.parse(text) as { readonly version: string }).version
}

/** Runs `measure` against a fresh counting sample API and adds the request count seen there. */
const withSampleApi = async (
  measure: (baseUrl: string) => Promise<Omit<ToolResult, "requests">>
): Promise<ToolResult> => {
  const target = await startServer("sample-target.ts")
  let measured: Omit<ToolResult, "requests">
  try {
    measured = await measure(target.url)
  } catch (error) {
    await target.stop()
    throw error
  }
  const farewell = (await target.stop()) as { readonly requests?: number } | undefined
  return farewell?.requests === undefined ? measured : { ...measured, requests: farewell.requests }
}

const runQawave = (): Promise<ToolResult> =>
  withSampleApi(async (baseUrl) => {
    const started = performance.now()
    const outcome = (await runJsonScript("qawave-sample.ts", [specPath, baseUrl], {
      timeoutMs: toolTimeoutMs
    })) as {
      readonly runSeconds: number
      readonly steps: number
      readonly findings: number
      readonly checks: ReadonlyArray<string>
    }
    const seconds = (performance.now() - started) / 1_000
    return {
      name: "QAWave",
      version: JSON.parse(await readFile(join(coreDir, "package.json"), "utf8")).version as string,
      seconds,
      findings: outcome.findings,
      note:
        `run() with seed 1, the default cap of scenarios per operation, bearer and admin key credentials; ` +
        `${outcome.steps} steps; the run itself took ${outcome.runSeconds.toFixed(1)} s, the rest is ` +
        `process start with tsx; findings are grouped failed checks (${outcome.checks.join(", ")})`
    }
  })

const runDredd = async (): Promise<ToolResult> => {
  const version = await installedVersion("dredd")
  return withSampleApi(async (baseUrl) => {
    const headers = Object.entries(credentialHeaders).flatMap(([name, value]) => [
      "--header",
      `${name}: ${value}`
    ])
    const result = await runCommand(join(binDir, "dredd"), [specPath, baseUrl, "--no-color", ...headers])
    const summary = /complete: (\d+) passing, (\d+) failing, (\d+) errors, (\d+) skipped, (\d+) total/.exec(
      result.output
    )
    if (summary === null) {
      return { name: "Dredd", version, note: `no summary line in its output (exit code ${result.code})` }
    }
    const [, passing, failing, errors, , total] = summary.map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number
    ]
    // Dredd tests every documented response of an operation with the same request, so a failure of
    // a non-2xx transaction is usually the request not being built to provoke that status.
    // Without --inline-errors Dredd prints each failing transaction twice: as it runs and in the
    // closing list, so the line counts are halved when they match that pattern.
    const failLines = [...result.output.matchAll(/^fail: [A-Z]+ \((\d{3})\)/gm)].map(
      (match) => match[1] ?? ""
    )
    const repeats = failLines.length === 2 * failing ? 2 : 1
    const failedSuccesses = failLines.filter((status) => status.startsWith("2")).length / repeats
    return {
      name: "Dredd",
      version,
      seconds: result.seconds,
      findings: failing + errors,
      note:
        `${total} transactions: ${passing} passing, ${failing} failing, ${errors} errors; ` +
        `${failedSuccesses} of the failures are on documented 2xx responses, the others expect a non-2xx status from ` +
        `the same valid request; it warns that OpenAPI 3.1 is not fully supported`
    }
  })
}

/**
 * Step CI: `stepci generate` from a dereferenced copy of the spec, then `stepci run`. The copy is
 * dereferenced because the generator of @stepci/plugin-openapi 0.3.9 reads `param.schema` without
 * resolving `$ref`s and fails on the sample spec's shared parameters. Its servers entry points at the
 * counting proxy, and the credential headers are added to every generated step, since the generator
 * ignores security schemes.
 */
const runStepCi = async (): Promise<ToolResult> => {
  const version = await installedVersion("stepci")
  const workDir = await mkdtemp(join(tmpdir(), "qawave-bench-stepci-"))
  try {
    return await withSampleApi(async (baseUrl) => {
      const parser = (await import(
        pathToFileURL(join(coreDir, "node_modules", "@readme", "openapi-parser", "dist", "index.js")).href
      )) as { readonly dereference: (path: string) => Promise<object> }
      const yaml = createRequire(join(coreDir, "package.json"))("yaml") as {
        readonly parse: (text: string) => unknown
        readonly stringify: (value: unknown) => string
      }
      const env = { XDG_CONFIG_HOME: workDir }
      const started = performance.now()
      const document = (await parser.dereference(specPath)) as Record<string, unknown>
      const dereferenced = join(workDir, "openapi.json")
      await writeFile(dereferenced, JSON.stringify({ ...document, servers: [{ url: baseUrl }] }))
      const workflowPath = join(workDir, "workflow.yml")
      const generated = await runCommand(
        join(binDir, "stepci"),
        ["generate", dereferenced, workflowPath, "--checkExamples", "false"],
        env
      )
      if (generated.code !== 0) {
        return {
          name: "Step CI",
          version,
          note: `stepci generate failed: ${generated.output.trim().slice(-300)}`
        }
      }
      const workflow = yaml.parse(await readFile(workflowPath, "utf8")) as {
        readonly tests: Record<
          string,
          { readonly steps: Array<{ http: { headers?: Record<string, string> } }> }
        >
      }
      let steps = 0
      for (const test of Object.values(workflow.tests)) {
        for (const step of test.steps) {
          step.http.headers = { ...credentialHeaders, ...step.http.headers }
          steps++
        }
      }
      await writeFile(workflowPath, yaml.stringify(workflow))
      const ran = await runCommand(join(binDir, "stepci"), ["run", workflowPath], env)
      const seconds = (performance.now() - started) / 1_000
      const failedSteps = [...ran.output.matchAll(/^\s*✕ .* failed after /gm)].length
      const skippedSteps = [...ran.output.matchAll(/^\s*⚠︎ .* skipped after /gm)].length
      return {
        name: "Step CI",
        version,
        seconds,
        findings: failedSteps,
        note:
          `${steps} generated steps in ${Object.keys(workflow.tests).length} tests; ${failedSteps} failed, ` +
          `${skippedSteps} skipped because an earlier step of their test failed; generate took ` +
          `${generated.seconds.toFixed(1)} s; generated with --checkExamples false, because that check ` +
          `requires a response body equal to the spec's example`
      }
    })
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}

const guarded = async (name: string, measure: () => Promise<ToolResult>): Promise<ToolResult> => {
  try {
    return await measure()
  } catch (error) {
    return {
      name,
      version: "",
      note: `could not run: ${error instanceof Error ? error.message : String(error)}`
    }
  }
}

/** Runs QAWave, Dredd and Step CI one after the other on fresh sample APIs. */
export const compareTools = async (): Promise<ReadonlyArray<ToolResult>> => [
  await guarded("QAWave", runQawave),
  await guarded("Dredd", runDredd),
  await guarded("Step CI", runStepCi)
]
