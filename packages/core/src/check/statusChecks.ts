/**
 * Checks that judge a response by its status line and timing alone: `not_a_server_error`,
 * `status_code_conformance` and `max_response_time`.
 */
import type { Check } from "./Check.js"
import { failed, passed, skipped } from "./outcome.js"
import { isOutcome, judgeableResponse, matchResponse } from "./response.js"

/**
 * Fails a response with a 5xx status, whose status is the signature, and a request that the API
 * dropped or stopped accepting (a `network` or `connect` failure): a crash shows up this way. A
 * timeout is left to `max_response_time`.
 */
export const notAServerError: Check = {
  name: "not_a_server_error",
  judge: (input) => {
    const failure = input.exchange.failure
    if (failure?.kind === "network" || failure?.kind === "connect") {
      return failed(
        `${input.operation.method.toUpperCase()} ${input.operation.path} got no response: ${failure.message}`,
        "a response",
        `no response (${failure.kind})`
      )
    }
    const response = judgeableResponse(input)
    if (isOutcome(response)) return response
    if (response.status < 500) return passed()
    return failed(
      `The server responded to ${input.operation.method.toUpperCase()} ${input.operation.path} with ${response.status}`,
      "a status below 500",
      String(response.status)
    )
  }
}

/** Fails a response whose status the operation does not declare (exact code, `NXX` range or `default`). */
export const statusCodeConformance: Check = {
  name: "status_code_conformance",
  judge: (input) => {
    const response = judgeableResponse(input)
    if (isOutcome(response)) return response
    const declared = input.operation.responses.map((candidate) => candidate.status)
    if (declared.length === 0) return skipped("the operation declares no responses")
    if (matchResponse(input.operation, response.status) !== undefined) return passed()
    return failed(
      `Status ${response.status} is not declared for ${input.operation.method.toUpperCase()} ${input.operation.path}`,
      `one of the declared statuses: ${declared.join(", ")}`,
      String(response.status)
    )
  }
}

/**
 * Fails a response slower than `options.maxResponseTimeMs`, and an exchange that timed out. Rate
 * limiting does not skip this check: a slow response is slow whatever its status. The time judged
 * leaves out a block of QAWave's own event loop that ended just before the response was read
 * (`busyMs`), since the response may have waited that long to be read. A slow response that came
 * during such a block can therefore pass; a block earlier in the request is not left out.
 */
export const maxResponseTime: Check = {
  name: "max_response_time",
  judge: (input) => {
    const { exchange, options } = input
    const limit = options.maxResponseTimeMs
    if (exchange.failure !== undefined) {
      if (exchange.failure.kind !== "timeout") return skipped(`no response (${exchange.failure.kind})`)
      return failed(
        `No response within ${Math.round(exchange.failure.elapsedMs)} ms: ${exchange.failure.message}`,
        limit === undefined ? "a response before the request timeout" : `a response within ${limit} ms`,
        "timeout"
      )
    }
    const response = exchange.response
    if (response === undefined) return skipped("no response (missing)")
    if (limit === undefined) return skipped("no response time limit is set")
    const apiMs = Math.round(response.elapsedMs - (response.busyMs ?? 0))
    if (apiMs <= limit) return passed()
    const busy =
      response.busyMs === undefined || response.busyMs < 1
        ? ""
        : ` (not counting ${Math.round(response.busyMs)} ms in which QAWave itself was busy)`
    return failed(
      `The response took ${apiMs} ms, more than the limit of ${limit} ms${busy}`,
      `a response within ${limit} ms`,
      `slower than ${limit} ms`
    )
  }
}
