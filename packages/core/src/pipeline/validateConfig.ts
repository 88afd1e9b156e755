import { Effect } from "effect"
import type { RunConfig } from "./RunConfig.js"
import { RunError } from "./RunError.js"

const invalid = (message: string) => new RunError({ reason: "InvalidConfig", message })

/** Formats a value for a message, quoting text so that `"7"` is not mistaken for the number 7. */
const formatValue = (value: unknown): string =>
  typeof value === "string" ? `the text ${JSON.stringify(value)}` : String(value)

const positiveInteger = (name: string, value: number | undefined) =>
  value === undefined || (Number.isInteger(value) && value > 0)
    ? Effect.void
    : Effect.fail(invalid(`${name} must be a positive integer, got ${formatValue(value)}`))

/**
 * Maximum number of scenarios one run executes at once. Each keeps a connection to the target open, and a run
 * starts one worker per unit whatever its number of scenarios.
 */
export const maxConcurrency = 1_000

/** Checks a run configuration before anything is loaded or sent; the error names the value and the fix. */
export const validateConfig = (config: RunConfig): Effect.Effect<void, RunError> =>
  Effect.gen(function* () {
    let url: URL
    try {
      url = new URL(config.baseUrl)
    } catch {
      // Only text that looks like a host (with a port or path) is worth repeating in the example.
      const hostLike = /^[A-Za-z0-9.-]+(:\d+)?(\/\S*)?$/.test(config.baseUrl)
      const example = hostLike ? `http://${config.baseUrl}` : "http://localhost:8080"
      return yield* invalid(
        `the base URL "${config.baseUrl}" is not a valid URL; give an absolute http(s) URL such as ${example}`
      )
    }
    if (!/^https?:\/\//i.test(config.baseUrl)) {
      return yield* invalid(
        `the base URL "${config.baseUrl}" must start with http:// or https://, such as http://${config.baseUrl.includes("//") ? config.baseUrl.replace(/^[a-z][a-z0-9+.-]*:\/*/i, "") : config.baseUrl}`
      )
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return yield* invalid(`the base URL "${config.baseUrl}" must use http or https, not ${url.protocol}`)
    }
    yield* positiveInteger("maxScenariosPerOperation", config.maxScenariosPerOperation)
    yield* positiveInteger("concurrency", config.concurrency)
    if (config.concurrency !== undefined && config.concurrency > maxConcurrency) {
      return yield* invalid(
        `concurrency must be at most ${maxConcurrency}, got ${config.concurrency}; each unit keeps a connection to the target open, so use a lower value`
      )
    }
    yield* positiveInteger("requestTimeoutMs", config.requestTimeoutMs)
    yield* positiveInteger("maxResponseTimeMs", config.maxResponseTimeMs)
    yield* positiveInteger("deadlineMs", config.deadlineMs)
    if (config.seed !== undefined && !Number.isSafeInteger(config.seed)) {
      return yield* invalid(`the seed must be an integer, got ${formatValue(config.seed)}`)
    }
    // Without a limit the check judges timeouts only, which every run with it does by default.
    if (config.includeChecks?.includes("max_response_time") && config.maxResponseTimeMs === undefined) {
      return yield* invalid(
        "the check max_response_time is selected without a limit; set maxResponseTimeMs (--max-response-time on the command line)"
      )
    }
    if (config.rateLimitPerSecond !== undefined && !(config.rateLimitPerSecond > 0)) {
      return yield* invalid(
        `the rate limit must be a positive number of requests per second, got ${formatValue(config.rateLimitPerSecond)}`
      )
    }
  })
