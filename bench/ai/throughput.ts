/**
 * Scenarios per minute of the AI generator alone: the real `openai` client against the local model
 * server, which waits a fixed latency before every response. The bound is what the call semaphore
 * allows: concurrency × scenarios per call per latency.
 */

import { spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import {
  type AiUsageReport,
  loadSpec,
  makeAiGenerator,
  OpenAiLanguageModel,
  RateLimiter,
  ScenarioCache,
  SpecCache
} from "@qawave/core"
import { Effect, Layer, Redacted } from "effect"
import { buildThroughputSpec, operationsPerResource } from "./spec.js"

/** Settings of the throughput measurement. */
export interface ThroughputSettings {
  readonly latencyMs: number
  readonly concurrency: number
  readonly scenariosPerCall: number
  readonly resources: number
  readonly samples: number
}

/** One sample: a fresh generator and a fresh cache over every operation of the spec. */
export interface ThroughputSample {
  readonly operations: number
  readonly modelCalls: number
  readonly seconds: number
  readonly returned: number
  readonly accepted: number
  readonly returnedPerMinute: number
  readonly acceptedPerMinute: number
  readonly fallbacks: number
  /** CPU time of the generator's process (the model server runs in another) per model call, in ms. */
  readonly clientCpuMsPerCall: number
}

/**
 * Rate limits far above what the benchmark can reach, so that only the call semaphore and the
 * latency bound the throughput. The defaults (60 requests and 200,000 tokens per minute) would cap
 * a 500 ms, 5-call run at 1 call per second.
 */
export const uncappedRateLimits = { requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 }

const model = "qawave-local"

/** Runs the generator once over every operation of a loaded spec and measures it. */
const measureSample = (settings: ThroughputSettings, document: object) =>
  Effect.gen(function* () {
    const spec = yield* loadSpec({ document, location: "ai-throughput.json" })
    const generator = yield* makeAiGenerator({
      model,
      scenariosPerCall: settings.scenariosPerCall,
      maxConcurrentCalls: settings.concurrency,
      ...uncappedRateLimits
    })
    const options = { seed: 1, maxScenariosPerOperation: settings.scenariosPerCall }
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    // The generator's own semaphore bounds calls in flight, so every operation is started at once.
    yield* Effect.forEach(spec.operations, (operation) => generator.forOperation(spec, operation, options), {
      concurrency: "unbounded",
      discard: true
    })
    const seconds = (performance.now() - start) / 1000
    const cpu = process.cpuUsage(cpuStart)
    const report: AiUsageReport = yield* generator.report()
    const returned = report.acceptance.scenariosReceived
    const accepted = report.acceptance.scenariosAccepted
    return {
      operations: spec.operations.length,
      modelCalls: report.calls,
      seconds,
      returned,
      accepted,
      returnedPerMinute: (returned / seconds) * 60,
      acceptedPerMinute: (accepted / seconds) * 60,
      fallbacks: report.fallbacks,
      clientCpuMsPerCall: (cpu.user + cpu.system) / 1000 / Math.max(1, report.calls)
    } satisfies ThroughputSample
  })

const childScript = join(dirname(fileURLToPath(import.meta.url)), "model-server-child.ts")

/** Starts `model-server-child.ts` and resolves to its base URL and a function that stops it. */
const startServerChild = (latencyMs: number, scenariosPerCall: number) =>
  new Promise<{ readonly baseUrl: string; readonly close: () => Promise<void> }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, childScript, String(latencyMs), String(scenariosPerCall)],
      { stdio: ["pipe", "pipe", "inherit"] }
    )
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    const close = async () => {
      child.stdin.end()
      await exited
    }
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
      const newline = output.indexOf("\n")
      if (newline >= 0) resolve({ baseUrl: output.slice(0, newline).trim(), close })
    })
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`model server child exited with ${code} before listening`)))
  })

/**
 * Measures `settings.samples` samples against one local model server in a child process, after a
 * warm-up over one resource.
 */
export const measureThroughput = async (
  settings: ThroughputSettings
): Promise<ReadonlyArray<ThroughputSample>> => {
  const server = await startServerChild(settings.latencyMs, settings.scenariosPerCall)
  try {
    const layer = Layer.mergeAll(
      OpenAiLanguageModel.layer({
        baseUrl: server.baseUrl,
        apiKey: Redacted.make("local-benchmark"),
        model,
        mode: "json_schema"
      }),
      RateLimiter.layerMemory,
      SpecCache.layerMemory({ capacity: 4, ttl: "1 hour" })
    )
    const document = buildThroughputSpec(settings.resources)
    const samples: Array<ThroughputSample> = []
    // The warm-up loads modules and opens connections, so the samples measure steady state.
    const warmUp = buildThroughputSpec(1)
    await Effect.runPromise(
      measureSample({ ...settings, resources: 1 }, warmUp).pipe(
        Effect.provide(Layer.merge(layer, ScenarioCache.layerMemory()))
      )
    )
    for (let index = 0; index < settings.samples; index++) {
      const sample = await Effect.runPromise(
        measureSample(settings, document).pipe(
          Effect.provide(Layer.merge(layer, ScenarioCache.layerMemory()))
        )
      )
      if (sample.operations !== settings.resources * operationsPerResource)
        throw new Error(
          `expected ${settings.resources * operationsPerResource} operations, got ${sample.operations}`
        )
      samples.push(sample)
    }
    return samples
  } finally {
    await server.close()
  }
}
