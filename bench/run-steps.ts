/**
 * `pnpm bench run`: how fast QAWave executes steps and how much memory a long run takes. Both are
 * measured against a minimal local target in a child process, next to a raw undici request loop
 * against the same target in the same run. Then QAWave, Dredd and Step CI run side by side on the
 * sample API with its planted bugs. Each measurement runs in its own child process; throughput figures are medians of 5 samples.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { median, runJsonScript, startServer } from "./run-steps/children.js"
import { buildItemsSpec } from "./run-steps/spec.js"
import { compareTools, type ToolResult } from "./run-steps/tools.js"

/**
 * Throughput spec: 100 operations × 20 query parameters, 80 scenarios each, so 8,000 steps per sample.
 * A sample is a whole run. A run's fixed cost (loading the spec, compiling validators, starting the
 * executor) is about 25 ms here, so with 800 steps it was a fifth of the sample.
 */
const throughputSpec = { operations: 100, queryParameters: 20, maxScenariosPerOperation: 100 }
const concurrencies = [10, 50]
const samples = 5
const ratioTarget = 0.8

/**
 * Memory spec: 435 operations × 60 query parameters give 230 scenarios per operation. The same spec
 * runs with 23 and 230 scenarios per operation, so the two runs differ in steps, not in spec size.
 */
const memorySpec = { operations: 435, queryParameters: 60 }
const memoryRuns = [
  { label: 10_000, maxScenariosPerOperation: 23 },
  { label: 100_000, maxScenariosPerOperation: 230 }
]
const peakRssTargetMb = 300
const memoryRatioTarget = 1.2

interface ThroughputOutput {
  readonly concurrency: number
  readonly steps: number
  readonly findings: number
  readonly qawaveStepsPerSecond: ReadonlyArray<number>
  /** The work loop: generate, encode, send and judge each step in a plain loop (see throughput-child.ts). */
  readonly workStepsPerSecond: ReadonlyArray<number>
  readonly rawRequestsPerSecond: ReadonlyArray<number>
}

interface MemoryOutput {
  readonly steps: number
  readonly findings: number
  readonly seconds: number
  readonly startRssMb: number
  readonly peakRssMb: number
  /** Heap in use after a full collection at the end, with the report still held (library mode). */
  readonly liveHeapMb?: number
  readonly series?: ReadonlyArray<{
    readonly seconds: number
    readonly rssMb: number
    readonly heapUsedMb: number
  }>
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits))

const measureThroughput = async (targetUrl: string) => {
  const rows = []
  for (const concurrency of concurrencies) {
    const output = (await runJsonScript(
      "throughput-child.ts",
      [
        targetUrl,
        String(concurrency),
        String(samples),
        String(throughputSpec.operations),
        String(throughputSpec.queryParameters),
        String(throughputSpec.maxScenariosPerOperation)
      ],
      { timeoutMs: 600_000 }
    )) as ThroughputOutput
    const qawave = median(output.qawaveStepsPerSecond)
    const raw = median(output.rawRequestsPerSecond)
    const work = median(output.workStepsPerSecond)
    rows.push({
      concurrency,
      qawaveStepsPerSecond: round(qawave),
      workStepsPerSecond: round(work),
      rawRequestsPerSecond: round(raw),
      ratio: round(qawave / raw, 3),
      workRatio: round(work / raw, 3),
      stepsPerSample: output.steps,
      findingsPerSample: output.findings,
      samples: {
        qawaveStepsPerSecond: output.qawaveStepsPerSecond.map((value) => round(value)),
        workStepsPerSecond: output.workStepsPerSecond.map((value) => round(value)),
        rawRequestsPerSecond: output.rawRequestsPerSecond.map((value) => round(value))
      }
    })
  }
  return rows
}

/**
 * Runs the memory child on the built `@qawave/core`, as users run it, with the spec written to a
 * file that the run loads.
 */
const measureMemory = async (targetUrl: string) => {
  const directory = await mkdtemp(join(tmpdir(), "qawave-bench-"))
  const specFile = join(directory, "items.json")
  await writeFile(specFile, JSON.stringify(buildItemsSpec(memorySpec.operations, memorySpec.queryParameters)))
  try {
    return await measureMemoryRuns(targetUrl, specFile)
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}

/**
 * The two ways a run is measured: the library's `run` in a plain Node process with V8's default heap
 * growth, and the `qawave run` command, which sets its own heap policy.
 */
const memoryModes = [
  { mode: "library", script: "memory-child.mjs", nodeFlags: ["--expose-gc"] },
  { mode: "cli", script: "memory-cli-child.mjs", nodeFlags: [] }
] as const

const measureMemoryRuns = async (targetUrl: string, specFile: string) => {
  const rows = []
  for (const { mode, script, nodeFlags } of memoryModes) {
    for (const memoryRun of memoryRuns) {
      const output = (await runJsonScript(
        script,
        [targetUrl, specFile, String(memoryRun.maxScenariosPerOperation)],
        {
          timeoutMs: 900_000,
          typescript: false,
          nodeFlags
        }
      )) as MemoryOutput
      rows.push({
        mode,
        steps: output.steps,
        peakRssMb: round(output.peakRssMb),
        startRssMb: round(output.startRssMb),
        ...(output.liveHeapMb === undefined ? {} : { liveHeapMb: round(output.liveHeapMb) }),
        seconds: round(output.seconds, 1),
        stepsPerSecond: round(output.steps / output.seconds),
        findings: output.findings,
        ...(output.series === undefined ? {} : { series: output.series })
      })
    }
  }
  return rows
}

const toolRow = (tool: ToolResult) => ({
  section: "sample API",
  name: `${tool.name} ${tool.version}`.trim(),
  value:
    tool.seconds === undefined
      ? "did not run"
      : `${tool.seconds.toFixed(1)} s, ${tool.requests ?? "?"} requests, ${tool.findings ?? "?"} findings`,
  baseline: "",
  ratio: "",
  target: ""
})

/** Runs the whole benchmark and returns the JSON result and the table rows. */
export const benchRun = async () => {
  const target = await startServer("target.ts")
  let throughput: Awaited<ReturnType<typeof measureThroughput>>
  let memory: Awaited<ReturnType<typeof measureMemory>>
  try {
    throughput = await measureThroughput(target.url)
    memory = await measureMemory(target.url)
  } finally {
    await target.stop()
  }
  const tools = await compareTools()

  // Peak of the 100,000-step run over the 10,000-step run, per mode.
  const memoryRatios = Object.fromEntries(
    memoryModes.map(({ mode }) => {
      const rows = memory.filter((row) => row.mode === mode)
      const small = rows[0]
      const large = rows[rows.length - 1]
      return [
        mode,
        small === undefined || large === undefined ? undefined : round(large.peakRssMb / small.peakRssMb, 2)
      ]
    })
  )
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    targets: { ratio: ratioTarget, peakRssMb: peakRssTargetMb, memoryRatio: memoryRatioTarget },
    throughputSpec,
    memorySpec,
    throughput,
    memory,
    memoryRatios,
    tools
  }

  const table = [
    ...throughput.map((row) => ({
      section: "throughput",
      name: `concurrency ${row.concurrency}`,
      value: `${row.qawaveStepsPerSecond} steps/s`,
      baseline: `${row.rawRequestsPerSecond} req/s (undici)`,
      ratio: row.ratio,
      target: `>= ${ratioTarget}`
    })),
    ...throughput.map((row) => ({
      section: "throughput",
      name: `work loop, concurrency ${row.concurrency}`,
      value: `${row.workStepsPerSecond} steps/s`,
      baseline: `${row.rawRequestsPerSecond} req/s (undici)`,
      ratio: row.workRatio,
      target: "ceiling of a run"
    })),
    ...memory.map((row) => ({
      section: "memory",
      name: `${row.mode} ${row.steps} steps`,
      value: `peak RSS ${row.peakRssMb} MB`,
      baseline: `${row.startRssMb} MB at start`,
      ratio: "",
      target: `<= ${peakRssTargetMb} MB`
    })),
    ...memoryModes.map(({ mode }) => ({
      section: "memory",
      name: `${mode} large / small peak`,
      value: "",
      baseline: "",
      ratio: memoryRatios[mode] ?? "",
      target: `<= ${memoryRatioTarget}`
    })),
    ...tools.map(toolRow)
  ]
  return { result, table }
}
