/**
 * Running totals of one run: counters, coverage per operation and check verdicts. Its size depends
 * on the number of operations and checks, never on the number of steps.
 */
import type { CheckName, CheckOutcome } from "../check/Check.js"
import type { OperationCoverage, RunSummary } from "../run/Run.js"
import type { Operation } from "../spec/model.js"

interface CheckCounts {
  passed: number
  failed: number
  notValidated: number
}

interface OperationTally {
  readonly operation: Operation
  readonly statusesSeen: Set<number>
  readonly checks: Map<CheckName, CheckCounts>
  /** Reasons checks could not judge responses of this operation, by check and reason. */
  readonly notValidated: Map<string, { readonly check: CheckName; readonly reason: string; count: number }>
}

/** Distinct reasons for "not validated" kept per operation. Later reasons are only counted in the totals. */
export const maxNotValidatedReasons = 5

const recordReason = (tally: OperationTally, check: CheckName, reason: string): void => {
  const key = `${check}\u0000${reason}`
  const known = tally.notValidated.get(key)
  if (known !== undefined) known.count++
  else if (tally.notValidated.size < maxNotValidatedReasons)
    tally.notValidated.set(key, { check, reason, count: 1 })
}

export class RunTally {
  readonly #operations = new Map<string, OperationTally>()
  /** Steps sent with the configured credentials, and how many were refused with 401 or 403, by operation. */
  readonly #auth = new Map<string, { sent: number; refused: number }>()
  /** Valid requests with path values from the spec or the generator, and how many got 404, by operation. */
  readonly #unboundPaths = new Map<string, { sent: number; notFound: number }>()
  scenarios = 0
  /** Multi-step scenarios started, and those of them that stopped before their last step. */
  flows = 0
  stoppedFlows = 0
  steps = 0
  notValidated = 0
  failedRequests = 0
  /** Steps that got a response, and how many of those were 404 Not Found. */
  responses = 0
  notFound = 0
  rateLimited = 0
  skippedOperations = 0

  /** Registers an operation so that it appears in coverage even when no step reaches it. */
  plan(operation: Operation): void {
    this.#operations.set(operation.id, {
      operation,
      statusesSeen: new Set(),
      checks: new Map(),
      notValidated: new Map()
    })
  }

  /** Records one executed step: its status (if any) and each check's outcome. */
  recordStep(
    operationId: string,
    status: number | undefined,
    outcomes: ReadonlyArray<readonly [CheckName, CheckOutcome]>
  ): void {
    this.steps++
    const tally = this.#operations.get(operationId)
    if (status !== undefined) {
      this.responses++
      if (status === 404) this.notFound++
      tally?.statusesSeen.add(status)
    }
    for (const [name, outcome] of outcomes) {
      if (outcome.status === "skipped") continue
      if (outcome.status === "not_validated") this.notValidated++
      if (tally === undefined) continue
      let counts = tally.checks.get(name)
      if (counts === undefined) {
        counts = { passed: 0, failed: 0, notValidated: 0 }
        tally.checks.set(name, counts)
      }
      if (outcome.status === "passed") counts.passed++
      else if (outcome.status === "failed") counts.failed++
      else {
        counts.notValidated++
        recordReason(tally, name, outcome.reason)
      }
    }
  }

  /** Records the status of a step sent with the configured credentials. */
  recordAuth(operationId: string, status: number | undefined): void {
    const counts = this.#auth.get(operationId) ?? { sent: 0, refused: 0 }
    counts.sent++
    if (status === 401 || status === 403) counts.refused++
    this.#auth.set(operationId, counts)
  }

  /** Records the status of a valid request whose path values did not come from an earlier response. */
  recordUnboundPath(operationId: string, status: number | undefined): void {
    let counts = this.#unboundPaths.get(operationId)
    if (counts === undefined) {
      counts = { sent: 0, notFound: 0 }
      this.#unboundPaths.set(operationId, counts)
    }
    counts.sent++
    if (status === 404) counts.notFound++
  }

  /**
   * Operations of which at least 80 % of the valid requests with path values not taken from a response
   * got 404, with their counts. One value that happens to name a resource (an id of 1, say) does not
   * hide the rest.
   */
  notFoundOperations(): ReadonlyArray<{
    readonly operationId: string
    readonly sent: number
    readonly notFound: number
  }> {
    const operations: Array<{ operationId: string; sent: number; notFound: number }> = []
    for (const [operationId, counts] of this.#unboundPaths)
      if (counts.sent > 0 && counts.notFound >= 0.8 * counts.sent) operations.push({ operationId, ...counts })
    return operations
  }

  /**
   * Operations whose every step with credentials was refused, and whether that holds for every step
   * with credentials in the run.
   */
  refusedOperations(): { readonly operations: ReadonlyArray<string>; readonly all: boolean } {
    const operations: Array<string> = []
    let sent = 0
    let refused = 0
    for (const [operationId, counts] of this.#auth) {
      sent += counts.sent
      refused += counts.refused
      if (counts.sent > 0 && counts.refused === counts.sent) operations.push(operationId)
    }
    return { operations, all: sent > 0 && refused === sent }
  }

  summary(findings: number): RunSummary {
    return {
      operations: this.#operations.size,
      skippedOperations: this.skippedOperations,
      scenarios: this.scenarios,
      steps: this.steps,
      findings,
      notValidated: this.notValidated,
      failedRequests: this.failedRequests,
      rateLimited: this.rateLimited,
      flows: { run: this.flows, stopped: this.stoppedFlows }
    }
  }

  coverage(): ReadonlyArray<OperationCoverage> {
    return [...this.#operations.values()].map(({ operation, statusesSeen, checks, notValidated }) => ({
      operationId: operation.id,
      method: operation.method,
      path: operation.path,
      statusesDeclared: operation.responses.map((response) => response.status),
      statusesSeen: [...statusesSeen].sort((a, b) => a - b),
      checks: Object.fromEntries(checks),
      ...(notValidated.size === 0
        ? {}
        : { notValidated: [...notValidated.values()].map((entry) => ({ ...entry })) })
    }))
  }
}
