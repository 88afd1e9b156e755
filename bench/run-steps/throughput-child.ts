/**
 * Child process: QAWave steps per second and raw undici requests per second against one target at
 * one concurrency. Usage: `throughput-child.ts <targetUrl> <concurrency> <samples> <operations>
 * <queryParameters> <maxScenariosPerOperation>`. Prints one JSON line.
 *
 * A warm-up QAWave run records the method and URL of every step it sent, from the run store's
 * `StepExecuted` events. The raw loop replays exactly those requests through an undici `Pool` with
 * as many connections as QAWave's concurrency. It repeats them until it has sent at least
 * `minRawRequests`, so that one raw sample lasts long enough to time. The samples alternate which of the two goes first.
 *
 * The work loop does the part of a step that no pipeline can leave out. It generates the same
 * scenarios, encodes each step, sends it through a `Pool` as the raw loop does and judges the response
 * with the run's checks. It is a plain `async` loop with no Effect, events, store or findings, so its
 * rate is the most that a run with QAWave's generator, encoder and checks could reach here.
 */
import {
  type Check,
  type Exchange,
  encodeRequest,
  generateForOperation,
  layerDefaults,
  loadSpec,
  parseResponseBody,
  type RunConfig,
  RunStore,
  runTests,
  type Scenario,
  SpecCache,
  selectChecks
} from "@qawave/core"
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

const spec = await Effect.runPromise(
  loadSpec(config.spec).pipe(Effect.provide(SpecCache.layerMemory({ capacity: 1, ttl: "1 hour" })))
)
const checks: ReadonlyArray<Check> = Effect.runSync(selectChecks({}))
const generateOptions = { seed: 1, maxScenariosPerOperation: Number(maxText) }

/** Generates, encodes, sends and judges every step of the run through a fresh pool, and returns the steps and seconds. */
const runWork = async () => {
  const pool = new Pool(targetUrl, { connections: concurrency })
  const started = performance.now()
  let steps = 0
  let next = 0
  let waiting: ReadonlyArray<Scenario> = []
  let waitingIndex = 0
  // Scenarios are generated one operation at a time, as workers need them.
  const nextScenario = (): Scenario | undefined => {
    while (waitingIndex >= waiting.length) {
      const operation = spec.operations[next++]
      if (operation === undefined) return undefined
      waiting = generateForOperation(spec, operation, generateOptions).scenarios
      waitingIndex = 0
    }
    return waiting[waitingIndex++]
  }
  const byId = new Map(spec.operations.map((operation) => [operation.id, operation]))
  const worker = async () => {
    for (let scenario = nextScenario(); scenario !== undefined; scenario = nextScenario()) {
      for (const step of scenario.steps) {
        const operation = byId.get(step.operationId)
        if (operation === undefined) continue
        const encoded = encodeRequest(operation, step.request, { baseUrl: targetUrl, spec })
        if (encoded._tag === "Left") continue
        const request = encoded.right
        const sentAt = performance.now()
        const response = await pool.request({
          method: request.method as "GET",
          path: request.url.slice(targetUrl.length),
          headers: request.headers
        })
        const body = await response.body.text()
        const exchange: Exchange = {
          request: { method: request.method, url: request.url, headers: { ...request.headers } },
          response: {
            status: response.statusCode,
            headers: response.headers as Record<string, string>,
            body,
            bodyBytes: body.length,
            truncated: false,
            elapsedMs: performance.now() - sentAt
          },
          retries: 0,
          rateLimited: false
        }
        const parsed = parseResponseBody(exchange)
        const input = {
          spec,
          operation,
          scenario,
          step,
          exchange,
          options: {},
          ...(parsed === undefined ? {} : { body: parsed })
        }
        for (const check of checks) check.judge(input)
        steps++
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = (performance.now() - started) / 1_000
  await pool.close()
  return { steps, seconds }
}

const warmUp = await runQawave(true)
if (warmUp.requests.length !== warmUp.steps) {
  // NOTE: the warm-up's store keeps the last 100,000 events; a larger run would replay only part of its steps.
  throw new Error(
    `The run store returned ${warmUp.requests.length} StepExecuted events for ${warmUp.steps} steps; lower the operations or maxScenariosPerOperation so one run has fewer than ${maxRecordedEvents} events.`
  )
}
await runRaw(warmUp.requests)
const workWarmUp = await runWork()
if (workWarmUp.steps !== warmUp.steps) {
  throw new Error(
    `The work loop ran ${workWarmUp.steps} steps, but the run had ${warmUp.steps}. Both must run the same scenarios, so check that they use the same seed and maxScenariosPerOperation.`
  )
}

const qawaveSamples: Array<number> = []
const rawSamples: Array<number> = []
const workSamples: Array<number> = []
for (let sample = 0; sample < samples; sample++) {
  const measureQawave = async () => {
    const run = await runQawave(false)
    qawaveSamples.push(run.steps / run.seconds)
  }
  const measureRaw = async () => {
    const run = await runRaw(warmUp.requests)
    rawSamples.push(run.requests / run.seconds)
  }
  const measureWork = async () => {
    const run = await runWork()
    workSamples.push(run.steps / run.seconds)
  }
  if (sample % 2 === 0) {
    await measureRaw()
    await measureWork()
    await measureQawave()
  } else {
    await measureQawave()
    await measureWork()
    await measureRaw()
  }
}

process.stdout.write(
  `${JSON.stringify({
    concurrency,
    steps: warmUp.steps,
    findings: warmUp.findings,
    qawaveStepsPerSecond: qawaveSamples,
    workStepsPerSecond: workSamples,
    rawRequestsPerSecond: rawSamples
  })}\n`
)
