/**
 * Child process: QAWave steps per second and raw undici requests per second against one target at
 * one concurrency. Usage: `throughput-child.ts <targetUrl> <concurrency> <samples> <operations>
 * <queryParameters> <maxScenariosPerOperation>`. Prints one JSON line.
 *
 * A warm-up QAWave run records the method and URL of every step it sent, from the run store's
 * `StepExecuted` events. The raw loop replays exactly those requests through an undici `Pool` with
 * as many connections as QAWave's concurrency. It repeats them until it has sent at least
 * `minRawRequests`, so that one raw sample lasts long enough to time. The samples alternate which of the two goes first.
 */
import { layerDefaults, type RunConfig, RunStore, runTests } from "@qawave/core"
import { Effect } from "effect"
import { Pool } from "undici"
import { buildItemsSpec } from "./spec.js"

interface RawRequest {
  readonly method: string
  readonly path: string
}

const [
  targetUrl = "",
  concurrencyText = "10",
  samplesText = "5",
  operationsText = "10",
  queryText = "20",
  maxText = "100"
] = process.argv.slice(2)
const concurrency = Number(concurrencyText)
const minRawRequests = 20_000
// Each step adds two or three events (scenario generated, step executed, findings recorded).
const maxRecordedEvents = 100_000
const samples = Number(samplesText)
const document = buildItemsSpec(Number(operationsText), Number(queryText))
const config: RunConfig = {
  spec: { document },
  baseUrl: targetUrl,
  seed: 1,
  concurrency,
  maxScenariosPerOperation: Number(maxText)
}

/** One QAWave run; returns its steps, seconds, and the requests it sent when `record` is set. */
const runQawave = async (record: boolean) => {
  const program = Effect.gen(function* () {
    const started = performance.now()
    const report = yield* runTests(config)
    const seconds = (performance.now() - started) / 1_000
    const requests: Array<RawRequest> = []
    if (record) {
      const store = yield* RunStore
      for (const event of yield* store.readEvents(report.run.id, 0)) {
        if (event._tag !== "StepExecuted") continue
        requests.push({ method: event.method, path: event.url.slice(targetUrl.length) })
      }
    }
    return { steps: report.summary.steps, findings: report.summary.findings, seconds, requests }
  })
  // The default store keeps only the last 1,000 events; the warm-up needs every StepExecuted one.
  const measured = record
    ? program.pipe(Effect.provide(RunStore.layerMemory({ maxEventsPerRun: maxRecordedEvents })))
    : program
  return Effect.runPromise(measured.pipe(Effect.provide(layerDefaults(config))))
}

/** Sends the recorded requests, repeated to at least `minRawRequests`, through a fresh pool with `concurrency` connections and reads every body. */
const runRaw = async (recorded: ReadonlyArray<RawRequest>) => {
  const rounds = Math.max(1, Math.ceil(minRawRequests / recorded.length))
  const requests = Array.from({ length: rounds }, () => recorded).flat()
  const pool = new Pool(targetUrl, { connections: concurrency })
  const started = performance.now()
  let next = 0
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++]!
      const response = await pool.request({ method: request.method as "GET", path: request.path })
      await response.body.text()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = (performance.now() - started) / 1_000
  await pool.close()
  return { requests: requests.length, seconds }
}

const warmUp = await runQawave(true)
if (warmUp.requests.length !== warmUp.steps) {
  // NOTE: the warm-up's store keeps the last 100,000 events; a larger run would replay only part of its steps.
  throw new Error(
    `The run store returned ${warmUp.requests.length} StepExecuted events for ${warmUp.steps} steps; lower the operations or maxScenariosPerOperation so one run has fewer than ${maxRecordedEvents} events.`
  )
}
await runRaw(warmUp.requests)

const qawaveSamples: Array<number> = []
const rawSamples: Array<number> = []
for (let sample = 0; sample < samples; sample++) {
  const measureQawave = async () => {
    const run = await runQawave(false)
    qawaveSamples.push(run.steps / run.seconds)
  }
  const measureRaw = async () => {
    const run = await runRaw(warmUp.requests)
    rawSamples.push(run.requests / run.seconds)
  }
  if (sample % 2 === 0) {
    await measureRaw()
    await measureQawave()
  } else {
    await measureQawave()
    await measureRaw()
  }
}

process.stdout.write(
  `${JSON.stringify({
    concurrency,
    steps: warmUp.steps,
    findings: warmUp.findings,
    qawaveStepsPerSecond: qawaveSamples,
    rawRequestsPerSecond: rawSamples
  })}\n`
)
