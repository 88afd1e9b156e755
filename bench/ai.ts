/**
 * `pnpm bench ai`: the AI generator's throughput, prompt size and cache.
 * - Throughput: scenarios per minute with the real `openai` client against the local model server at a
 *   fixed latency, next to the bound concurrency × scenarios per call × 60 s / latency. The model
 *   server runs in a child process and returns exactly `scenariosPerCall` valid scenarios for every
 *   call. Rate limits are raised far above the bound. The reported figure is the median of 3 samples.
 * - Prompt size: estimated prompt tokens (4 characters each) per operation of GitHub's REST API spec,
 *   next to a naive prompt that contains the fully dereferenced operation.
 * - Cache: model requests of a second generation over the sample API's spec with the same
 *   `ScenarioCache` and seed, counted at the model server.
 */
import { cpus, loadavg } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { measureCache } from "./ai/cache.js"
import { measurePromptSizes, median, percentile, sum } from "./ai/prompt.js"
import { measureThroughput, uncappedRateLimits } from "./ai/throughput.js"

const benchDir = dirname(fileURLToPath(import.meta.url))
const githubSpec = join(
  benchDir,
  "..",
  "packages",
  "core",
  "node_modules",
  "@octokit",
  "openapi",
  "generated",
  "api.github.com.json"
)
const sampleSpec = join(benchDir, "..", "examples", "sample-api", "openapi.yaml")

const throughputSettings = {
  latencyMs: 500,
  concurrency: 5,
  scenariosPerCall: 5,
  /** 25 resources × 4 operations = 100 operations, so 20 rounds of 5 calls per sample. */
  resources: 25,
  samples: 3
}
const throughputTarget = 0.9
const promptRatioTarget = 3

const round = (value: number, digits = 0): number => Number(value.toFixed(digits))

/** Runs the three measurements and returns the result JSON and the table rows. */
export const benchAi = async () => {
  const { latencyMs, concurrency, scenariosPerCall } = throughputSettings
  const boundPerMinute = (concurrency * scenariosPerCall * 60_000) / latencyMs
  console.log(
    `throughput: ${throughputSettings.resources * 4} operations, ${latencyMs} ms per call, concurrency ${concurrency}, ` +
      `${scenariosPerCall} scenarios per call; rate limits raised to ${uncappedRateLimits.requestsPerMinute} requests ` +
      `and ${uncappedRateLimits.tokensPerMinute} tokens per minute so they do not cap the run`
  )
  const samples = await measureThroughput(throughputSettings)
  const returnedPerMinute = median(samples.map((sample) => sample.returnedPerMinute))
  const acceptedPerMinute = median(samples.map((sample) => sample.acceptedPerMinute))
  const ratio = returnedPerMinute / boundPerMinute

  console.log("prompt size: loading GitHub's REST API spec")
  const sizes = await measurePromptSizes(githubSpec, scenariosPerCall)
  const medianTokens = median(sizes.compact)
  const naiveMedianTokens = median(sizes.naive)
  const totalRatio = sum(sizes.naive) / sum(sizes.compact)
  const medianRatio = naiveMedianTokens / medianTokens

  console.log("cache: generating twice over the sample API spec")
  const cache = await measureCache(sampleSpec)

  const result = {
    throughput: {
      latencyMs,
      concurrency,
      scenariosPerCall,
      operations: throughputSettings.resources * 4,
      requestsPerMinuteLimit: uncappedRateLimits.requestsPerMinute,
      tokensPerMinuteLimit: uncappedRateLimits.tokensPerMinute,
      boundPerMinute,
      returnedPerMinute: round(returnedPerMinute),
      acceptedPerMinute: round(acceptedPerMinute),
      ratio: round(ratio, 3),
      target: throughputTarget,
      samples: samples.map((sample) => ({
        ...sample,
        seconds: round(sample.seconds, 3),
        returnedPerMinute: round(sample.returnedPerMinute),
        acceptedPerMinute: round(sample.acceptedPerMinute),
        clientCpuMsPerCall: round(sample.clientCpuMsPerCall, 1)
      }))
    },
    prompt: {
      spec: "api.github.com",
      operations: sizes.operations,
      medianTokens,
      p95Tokens: percentile(sizes.compact, 95),
      maxTokens: Math.max(...sizes.compact),
      naiveMedianTokens,
      naiveP95Tokens: percentile(sizes.naive, 95),
      naiveMaxTokens: Math.max(...sizes.naive),
      totalTokens: sum(sizes.compact),
      naiveTotalTokens: sum(sizes.naive),
      totalRatio: round(totalRatio, 2),
      medianRatio: round(medianRatio, 2),
      target: promptRatioTarget
    },
    cache: { spec: "examples/sample-api/openapi.yaml", ...cache },
    machine: {
      node: process.version,
      cores: cpus().length,
      /** 1-minute load average at the end; other processes on the machine share its cores. */
      loadAverage: round(loadavg()[0] ?? 0, 2),
      date: new Date().toISOString()
    }
  }

  const verdict = (met: boolean) => (met ? "met" : "MISSED")
  const table = [
    {
      measure: "scenarios/min returned (median of 3)",
      value: round(returnedPerMinute),
      baseline: `bound ${boundPerMinute}`,
      ratio: round(ratio, 3),
      target: `>= ${throughputTarget} of bound: ${verdict(ratio >= throughputTarget)}`
    },
    {
      measure: "scenarios/min accepted (median of 3)",
      value: round(acceptedPerMinute),
      baseline: `bound ${boundPerMinute}`,
      ratio: round(acceptedPerMinute / boundPerMinute, 3),
      target: ""
    },
    {
      measure: "generator CPU per model call, ms (median)",
      value: round(median(samples.map((sample) => sample.clientCpuMsPerCall)), 1),
      baseline: `load average ${round(loadavg()[0] ?? 0, 1)} on ${cpus().length} cores`,
      ratio: "",
      target: ""
    },
    {
      measure: `prompt tokens median, ${sizes.operations} GitHub operations`,
      value: medianTokens,
      baseline: `naive ${naiveMedianTokens}`,
      ratio: round(medianRatio, 2),
      target: `>= ${promptRatioTarget}x fewer: ${verdict(medianRatio >= promptRatioTarget)}`
    },
    {
      measure: "prompt tokens p95",
      value: percentile(sizes.compact, 95),
      baseline: `naive ${percentile(sizes.naive, 95)}`,
      ratio: round(percentile(sizes.naive, 95) / percentile(sizes.compact, 95), 2),
      target: ""
    },
    {
      measure: "prompt tokens total",
      value: sum(sizes.compact),
      baseline: `naive ${sum(sizes.naive)}`,
      ratio: round(totalRatio, 2),
      target: `>= ${promptRatioTarget}x fewer: ${verdict(totalRatio >= promptRatioTarget)}`
    },
    {
      measure: `model calls, second run (${cache.operations} operations + flows)`,
      value: cache.secondRunCalls,
      baseline: `first run ${cache.firstRunCalls}`,
      ratio: "",
      target: `0: ${verdict(cache.secondRunCalls === 0)}`
    }
  ]
  return { result, table }
}
