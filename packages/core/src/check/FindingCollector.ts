/**
 * Grouping of failed checks into findings. Failures of one operation, check and signature are one
 * finding: the first failure's evidence is kept and later ones only raise its count.
 */
import { createHash } from "node:crypto"
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
  /** A shell command that sends the same request again; a function is called only for a new finding. */
  readonly curl: string | (() => string)
}

/** What `FindingCollector.add` did with a failure. */
export type AddResult =
  | { readonly isNew: true; readonly finding: Finding }
  | { readonly isNew: false; readonly finding: Finding }
  /** The collector was full and the failure started no finding; it is counted in `overflow`. */
  | { readonly isNew: false; readonly finding: undefined }

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
  createHash("sha256").update(`${operationId}\u0000${check}\u0000${signature}`).digest("hex").slice(0, 16)

const cutRequest = (request: RecordedRequest, maxChars: number): RecordedRequest =>
  request.body === undefined || request.body.length <= maxChars
    ? request
    : { ...request, body: request.body.slice(0, maxChars) }

const cutResponse = (response: RecordedResponse, maxChars: number): RecordedResponse =>
  response.body.length <= maxChars
    ? response
    : { ...response, body: response.body.slice(0, maxChars), truncated: true }

const toFinding = (failure: FailedCheck, id: string, maxEvidenceChars: number): Finding => {
  const { operation, scenario, step, exchange, check, outcome, curl } = failure
  return {
    id,
    operationId: operation.id,
    method: operation.method.toUpperCase(),
    path: operation.path,
    check,
    signature: outcome.signature,
    count: 1,
    message: outcome.message,
    expected: outcome.expected,
    request: cutRequest(exchange.request, maxEvidenceChars),
    ...(exchange.response === undefined
      ? {}
      : { response: cutResponse(exchange.response, maxEvidenceChars) }),
    curl: typeof curl === "string" ? curl : curl(),
    scenarioId: scenario.id,
    stepId: step.id,
    provenance: scenario.provenance
  }
}

/**
 * An in-memory accumulator of findings with bounded memory: at most `maxFindings` distinct findings
 * are kept, and failures that would start another one are only counted in `overflow`.
 */
export class FindingCollector {
  readonly #byKey = new Map<string, Finding>()
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
      const counted = { ...existing, count: existing.count + 1 }
      this.#byKey.set(key, counted)
      return { isNew: false, finding: counted }
    }
    if (this.#byKey.size >= this.#maxFindings) {
      this.#overflow++
      return { isNew: false, finding: undefined }
    }
    const id = findingId(failure.operation.id, failure.check, failure.outcome.signature)
    const finding = toFinding(failure, id, this.#maxEvidenceChars)
    this.#byKey.set(key, finding)
    return { isNew: true, finding }
  }

  /** Returns the findings in the order they were first seen. */
  findings(): ReadonlyArray<Finding> {
    return [...this.#byKey.values()]
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
