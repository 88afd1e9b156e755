/**
 * Run configurations rejected before anything is loaded or sent, with messages that name the value.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import type { RunConfig } from "../../src/pipeline/RunConfig.js"
import { maxConcurrency, validateConfig } from "../../src/pipeline/validateConfig.js"

const base: RunConfig = { spec: "./openapi.yaml", baseUrl: "http://127.0.0.1:8080" }

/** Returns the message of the error `validateConfig` gives, or undefined when it accepts the config. */
const messageOf = (overrides: Partial<RunConfig>): string | undefined => {
  const result = Effect.runSync(Effect.either(validateConfig({ ...base, ...overrides })))
  return Either.isLeft(result) ? result.left.message : undefined
}

describe("validateConfig", () => {
  it("accepts the largest concurrency", () => {
    expect(messageOf({ concurrency: maxConcurrency })).toBeUndefined()
  })

  it("rejects a larger concurrency", () => {
    expect(messageOf({ concurrency: 100_000 })).toBe(
      "concurrency must be at most 1000, got 100000; each unit keeps a connection to the target open, so use a lower value"
    )
  })

  it("quotes a seed given as text", () => {
    expect(messageOf({ seed: "7" as unknown as number })).toBe(
      'the seed must be an integer, got the text "7"'
    )
  })

  it("rejects max_response_time without a limit", () => {
    expect(messageOf({ includeChecks: ["not_a_server_error", "max_response_time"] })).toContain(
      "max_response_time is selected without a limit"
    )
    expect(messageOf({ includeChecks: ["max_response_time"], maxResponseTimeMs: 500 })).toBeUndefined()
  })
})
