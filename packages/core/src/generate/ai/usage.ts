/**
 * Token and cost accounting of one AI generator, and the run's hard cap. Before each model call, the
 * cap is compared with the tokens and cost spent so far plus the prompt estimates of the calls in
 * flight. The run therefore overshoots the cap by at most the completions of calls already started.
 */
import { Effect, Ref } from "effect"
import type { LanguageModelErrorReason, TokenUsage } from "../../ai/LanguageModel.js"
import type { AiUsage } from "../../run/Run.js"
import { type AcceptanceCounts, addCounts, emptyCounts } from "./accept.js"
import type { ResolvedSettings } from "./settings.js"

/** Failed model calls by kind; retries are counted in `retries` as well as under their kind. */
// A type alias, not an interface, so it fits the report's `Record<string, number>`.
export type AiFailures = {
  readonly rateLimited: number
  readonly serverErrors: number
  readonly timeouts: number
  readonly network: number
  /** Model outputs that were not JSON or did not match the output schema. */
  readonly invalidAnswers: number
  readonly rejected: number
  readonly unauthorized: number
  /** Calls repeated after a failure, of any kind. */
  readonly retries: number
}

/** `AiUsage` with the failures by kind and the counts of scenarios dropped or repaired. */
export interface AiUsageReport extends AiUsage {
  readonly failures: AiFailures
  readonly acceptance: AcceptanceCounts
}

/** Reasons recorded in `stoppedReason` when the run stops calling the model. */
export const budgetReached = "budget reached"
export const credentialsRejected = "the model provider rejected the credentials"

const emptyFailures: AiFailures = {
  rateLimited: 0,
  serverErrors: 0,
  timeouts: 0,
  network: 0,
  invalidAnswers: 0,
  rejected: 0,
  unauthorized: 0,
  retries: 0
}

interface State {
  readonly report: AiUsageReport
  /** Prompt-token estimates of the calls in flight. */
  readonly reservedTokens: number
}

const failureField = (reason: LanguageModelErrorReason): keyof AiFailures => {
  switch (reason) {
    case "RateLimited":
      return "rateLimited"
    case "ServerError":
      return "serverErrors"
    case "Timeout":
      return "timeouts"
    case "Network":
      return "network"
    case "InvalidJson":
    case "SchemaMismatch":
      return "invalidAnswers"
    case "Rejected":
      return "rejected"
    case "Unauthorized":
      return "unauthorized"
  }
}

/** The accounting of one generator; every method is safe to call from concurrent fibers. */
export interface UsageMeter {
  readonly usage: Effect.Effect<AiUsage>
  readonly report: Effect.Effect<AiUsageReport>
  /**
   * Reserves a call whose prompt is about `promptTokens` long. Returns the reason no call may be made
   * (the budget is reached or the run was stopped), or `undefined` when the call may go ahead.
   */
  readonly reserve: (promptTokens: number) => Effect.Effect<string | undefined>
  /** Ends a reserved call: frees its reservation and adds what the provider reported. */
  readonly settle: (promptTokens: number, usage: TokenUsage | undefined) => Effect.Effect<void>
  /** Frees the reservation of a call that was interrupted before it ended. */
  readonly release: (promptTokens: number) => Effect.Effect<void>
  readonly recordFailure: (reason: LanguageModelErrorReason) => Effect.Effect<void>
  readonly recordRetry: Effect.Effect<void>
  readonly recordCacheHit: Effect.Effect<void>
  readonly recordFallback: Effect.Effect<void>
  readonly recordAcceptance: (counts: AcceptanceCounts) => Effect.Effect<void>
  /** Stops all later calls of the run with `reason`; the first reason given is kept. */
  readonly stop: (reason: string) => Effect.Effect<void>
}

const costOf = (settings: ResolvedSettings, promptTokens: number, completionTokens: number): number =>
  (promptTokens * settings.prices.promptPerMillion +
    completionTokens * settings.prices.completionPerMillion) /
  1_000_000

const capReached = (settings: ResolvedSettings, state: State): boolean => {
  const report = state.report
  const tokens = report.promptTokens + report.completionTokens + state.reservedTokens
  const cost = report.estimatedCost + costOf(settings, state.reservedTokens, 0)
  return (
    (settings.maxTokens !== undefined && tokens >= settings.maxTokens) ||
    (settings.maxCost !== undefined && cost >= settings.maxCost)
  )
}

/** Builds the accounting of one generator, starting at zero. */
export const makeUsageMeter = (settings: ResolvedSettings): Effect.Effect<UsageMeter> =>
  Effect.map(
    Ref.make<State>({
      report: {
        calls: 0,
        cacheHits: 0,
        promptTokens: 0,
        completionTokens: 0,
        estimatedCost: 0,
        fallbacks: 0,
        failures: emptyFailures,
        acceptance: emptyCounts
      },
      reservedTokens: 0
    }),
    (ref): UsageMeter => {
      const updateReport = (change: (report: AiUsageReport) => AiUsageReport) =>
        Ref.update(ref, (state) => ({ ...state, report: change(state.report) }))
      const stopWith = (report: AiUsageReport, reason: string): AiUsageReport =>
        report.stoppedReason === undefined ? { ...report, stoppedReason: reason } : report

      return {
        report: Effect.map(Ref.get(ref), (state) => state.report),
        usage: Effect.map(Ref.get(ref), ({ report }) => {
          const { failures: _failures, acceptance: _acceptance, ...usage } = report
          return usage
        }),
        reserve: (promptTokens) =>
          Ref.modify(ref, (state): [string | undefined, State] => {
            if (state.report.stoppedReason !== undefined) return [state.report.stoppedReason, state]
            if (capReached(settings, state)) {
              return [budgetReached, { ...state, report: stopWith(state.report, budgetReached) }]
            }
            return [undefined, { ...state, reservedTokens: state.reservedTokens + promptTokens }]
          }),
        settle: (promptTokens, usage) =>
          Ref.update(ref, (state) => {
            const prompt = usage?.promptTokens ?? 0
            const completion = usage?.completionTokens ?? 0
            const report = state.report
            return {
              reservedTokens: Math.max(0, state.reservedTokens - promptTokens),
              report: {
                ...report,
                calls: report.calls + 1,
                promptTokens: report.promptTokens + prompt,
                completionTokens: report.completionTokens + completion,
                estimatedCost: report.estimatedCost + costOf(settings, prompt, completion)
              }
            }
          }),
        release: (promptTokens) =>
          Ref.update(ref, (state) => ({
            ...state,
            reservedTokens: Math.max(0, state.reservedTokens - promptTokens)
          })),
        recordFailure: (reason) =>
          updateReport((report) => {
            const field = failureField(reason)
            return { ...report, failures: { ...report.failures, [field]: report.failures[field] + 1 } }
          }),
        recordRetry: updateReport((report) => ({
          ...report,
          failures: { ...report.failures, retries: report.failures.retries + 1 }
        })),
        recordCacheHit: updateReport((report) => ({ ...report, cacheHits: report.cacheHits + 1 })),
        recordFallback: updateReport((report) => ({ ...report, fallbacks: report.fallbacks + 1 })),
        recordAcceptance: (counts) =>
          updateReport((report) => ({ ...report, acceptance: addCounts(report.acceptance, counts) })),
        stop: (reason) => updateReport((report) => stopWith(report, reason))
      }
    }
  )
