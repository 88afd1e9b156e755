/**
 * Grouping of failed checks into findings. Failures of one operation, check and signature are one
 * finding: the first failure's evidence is kept and later ones only raise its count.
 */
import { hash } from "node:crypto"
import { toCurl } from "../execute/curl.js"
import type { Exchange, RecordedRequest, RecordedResponse } from "../execute/Exchange.js"
import type { Scenario, Step } from "../scenario/Scenario.js"
import type { Operation } from "../spec/model.js"
import type { CheckName, FailedOutcome } from "./Check.js"
import type { Finding } from "./Finding.js"

/** One failed check of one step, with the evidence a finding keeps. */
export interface FailedCheck {
  readonly operation: Operation
  readonly scenario: Scenario
  readonly step: Step
  readonly exchange: Exchange
  readonly check: CheckName
  readonly outcome: FailedOutcome
  /** A shell command that sends the same request again. A function is called once, when the finding is first read. */
  readonly curl: string | (() => string)
  /** The exchanges of the scenario's steps before this one; empty or absent for a single step. */
  readonly before?: ReadonlyArray<Exchange>
}

/**
 * The result of `FindingCollector.add`. The failure started a finding (`isNew`) or counted one more
 * occurrence of one. With `findingId` undefined, the collector was full and the failure is only
 * counted in `overflow`.
 */
export interface AddResult {
  readonly isNew: boolean
  readonly findingId: string | undefined
}

/** Default number of distinct findings one collector keeps. */
export const defaultMaxFindings = 10_000

/**
 * Default number of characters of a request or response body kept as evidence. With
 * `defaultMaxFindings` this bounds the evidence to about 10,000 × 2 × 8 KiB characters.
 */
export const defaultMaxEvidenceChars = 8_192

/** Limits of a `FindingCollector`. */
export interface FindingCollectorOptions {
  /** Distinct findings kept; failures that would start another one are counted in `overflow`. */
  readonly maxFindings?: number
  /** Characters of each request and response body kept as evidence; longer bodies are cut. */
  readonly maxEvidenceChars?: number
}

/**
 * Returns the id of the finding for an operation, check and signature: the first 16 hex digits of
 * their SHA-256, so the same bug has the same id in every run.
 */
export const findingId = (operationId: string, check: CheckName, signature: string): string =>
  hash("sha256", `${operationId}\u0000${check}\u0000${signature}`, "hex").slice(0, 16)

const cutRequest = (request: RecordedRequest, maxChars: number): RecordedRequest => {
  const longPart = request.parts?.some((part) => part.text !== undefined && part.text.length > maxChars)
  if ((request.body === undefined || request.body.length <= maxChars) && longPart !== true) return request
  return {
    ...request,
    ...(request.body === undefined ? {} : { body: request.body.slice(0, maxChars) }),
    ...(request.parts === undefined
      ? {}
      : {
          parts: request.parts.map((part) =>
            part.text === undefined ? part : { ...part, text: part.text.slice(0, maxChars) }
          )
        }),
    bodyTruncated: true
  }
}

const cutResponse = (response: RecordedResponse, maxChars: number): RecordedResponse =>
  response.body.length <= maxChars
    ? response
    : { ...response, body: response.body.slice(0, maxChars), truncated: true }

/**
 * A finding as the collector keeps it: the count can grow in place, and the curl command stays a
 * function until the findings are read, so repeats and findings that no report reads build no text.
 */
interface Entry {
  readonly finding: Omit<Finding, "count" | "curl">
  count: number
  curl: string | (() => string)
}

const toEntry = (failure: FailedCheck, id: string, maxEvidenceChars: number): Entry => {
  const { operation, scenario, step, exchange, check, outcome, curl } = failure
  return {
    finding: {
      id,
      operationId: operation.id,
      method: operation.method.toUpperCase(),
      path: operation.path,
      check,
      signature: outcome.signature,
      message: outcome.message,
      expected: outcome.expected,
      request: cutRequest(exchange.request, maxEvidenceChars),
      ...(exchange.response === undefined
        ? {}
        : { response: cutResponse(exchange.response, maxEvidenceChars) }),
      scenarioId: scenario.id,
      stepId: step.id,
      provenance: scenario.provenance,
      ...(failure.before === undefined || failure.before.length === 0
        ? {}
        : {
            stepsBefore: failure.before.map((earlier) => {
              const request = cutRequest(earlier.request, maxEvidenceChars)
              const status = earlier.response?.status
              return { request, ...(status === undefined ? {} : { status }), curl: toCurl(request) }
            })
          })
    },
    count: 1,
    curl
  }
}

const toFinding = (entry: Entry): Finding => {
  if (typeof entry.curl !== "string") entry.curl = entry.curl()
  const { finding } = entry
  return {
    id: finding.id,
    operationId: finding.operationId,
    method: finding.method,
    path: finding.path,
    check: finding.check,
    signature: finding.signature,
    count: entry.count,
    message: finding.message,
    expected: finding.expected,
    request: finding.request,
    ...(finding.response === undefined ? {} : { response: finding.response }),
    curl: entry.curl,
    scenarioId: finding.scenarioId,
    stepId: finding.stepId,
    provenance: finding.provenance,
    ...(finding.stepsBefore === undefined ? {} : { stepsBefore: finding.stepsBefore })
  }
}

/**
 * An in-memory accumulator of findings with bounded memory: at most `maxFindings` distinct findings
 * are kept, and failures that would start another one are only counted in `overflow`.
 */
export class FindingCollector {
  readonly #byKey = new Map<string, Entry>()
  readonly #maxFindings: number
  readonly #maxEvidenceChars: number
  #overflow = 0

  constructor(options: FindingCollectorOptions = {}) {
    this.#maxFindings = options.maxFindings ?? defaultMaxFindings
    this.#maxEvidenceChars = options.maxEvidenceChars ?? defaultMaxEvidenceChars
  }

  /** Records a failed check: a new finding, or one more occurrence of an existing one. */
  add(failure: FailedCheck): AddResult {
    // The map key is cheap to build; the hashed id is computed only for a new finding.
    const key = `${failure.operation.id}\u0000${failure.check}\u0000${failure.outcome.signature}`
    const existing = this.#byKey.get(key)
    if (existing !== undefined) {
      existing.count++
      return { isNew: false, findingId: existing.finding.id }
    }
    if (this.#byKey.size >= this.#maxFindings) {
      this.#overflow++
      return { isNew: false, findingId: undefined }
    }
    const id = findingId(failure.operation.id, failure.check, failure.outcome.signature)
    this.#byKey.set(key, toEntry(failure, id, this.#maxEvidenceChars))
    return { isNew: true, findingId: id }
  }

  /** Returns the findings in the order they were first seen, with their counts so far. */
  findings(): ReadonlyArray<Finding> {
    return Array.from(this.#byKey.values(), toFinding)
  }

  /** Number of distinct findings kept. */
  size(): number {
    return this.#byKey.size
  }

  /** Number of failures dropped because `maxFindings` distinct findings were already kept. */
  overflow(): number {
    return this.#overflow
  }
}

/** Groups a list of failed checks into findings; a convenience over `FindingCollector`. */
export const groupFindings = (
  failures: Iterable<FailedCheck>,
  options: FindingCollectorOptions = {}
): { readonly findings: ReadonlyArray<Finding>; readonly overflow: number } => {
  const collector = new FindingCollector(options)
  for (const failure of failures) collector.add(failure)
  return { findings: collector.findings(), overflow: collector.overflow() }
}
