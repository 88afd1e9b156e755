/**
 * The `RunStore` port: runs, their findings and coverage, and the event log a reconnecting client
 * replays. Step results are not stored one by one: they reach readers as `StepExecuted` events.
 */
import { Context, Effect, Layer, Option } from "effect"
import type { Finding } from "../check/Finding.js"
import type { RunReport } from "../run/Run.js"
import type { RunEvent } from "../run/RunEvent.js"

export interface RunStoreService {
  /** Stores or replaces a run's report (its status, summary, coverage and findings so far). */
  readonly saveReport: (report: RunReport) => Effect.Effect<void>
  readonly getReport: (runId: string) => Effect.Effect<Option.Option<RunReport>>
  /** Stores findings, replacing any with the same id (a grouped finding's count grows). */
  readonly saveFindings: (runId: string, findings: ReadonlyArray<Finding>) => Effect.Effect<void>
  readonly appendEvent: (event: RunEvent) => Effect.Effect<void>
  /** Appends events in order, in one write where the store can batch them. */
  readonly appendEvents: (events: ReadonlyArray<RunEvent>) => Effect.Effect<void>
  /** Events of a run with a sequence greater than `afterSequence`, in order. */
  readonly readEvents: (runId: string, afterSequence: number) => Effect.Effect<ReadonlyArray<RunEvent>>
}

interface MemoryState {
  readonly reports: Map<string, RunReport>
  readonly findings: Map<string, Map<string, Finding>>
  readonly events: Map<string, Array<RunEvent>>
}

export class RunStore extends Context.Tag("@qawave/core/RunStore")<RunStore, RunStoreService>() {
  /**
   * An in-memory store. It keeps at least the last `maxEventsPerRun` events of each run (default 10,000)
   * and at most half as many again, so a long run's memory stays bounded. Replay from further back needs
   * a persistent store.
   */
  static readonly layerMemory = (options: { readonly maxEventsPerRun?: number } = {}) =>
    Layer.effect(
      RunStore,
      Effect.gen(function* () {
        const maxEvents = options.maxEventsPerRun ?? 10_000
        // The maps are changed in place, and one JavaScript thread runs every fiber, so a plain
        // object serves where a Ref would add a read to every event of every step.
        const state: MemoryState = { reports: new Map(), findings: new Map(), events: new Map() }
        const withState = <A>(f: (state: MemoryState) => A) => Effect.sync(() => f(state))
        const append = (s: MemoryState, event: RunEvent) => {
          const log = s.events.get(event.runId) ?? []
          log.push(event)
          // Trimming in batches keeps an append O(1) on average; one `splice` per event would shift
          // the whole log on every step of a long run.
          if (log.length > maxEvents * 1.5) log.splice(0, log.length - maxEvents)
          s.events.set(event.runId, log)
        }
        return RunStore.of({
          saveReport: (report) => withState((s) => void s.reports.set(report.run.id, report)),
          getReport: (runId) => withState((s) => Option.fromNullable(s.reports.get(runId))),
          saveFindings: (runId, findings) =>
            withState((s) => {
              const byId = s.findings.get(runId) ?? new Map<string, Finding>()
              for (const finding of findings) byId.set(finding.id, finding)
              s.findings.set(runId, byId)
            }),
          appendEvent: (event) => withState((s) => append(s, event)),
          appendEvents: (events) =>
            withState((s) => {
              for (const event of events) append(s, event)
            }),
          readEvents: (runId, afterSequence) =>
            withState((s) => (s.events.get(runId) ?? []).filter((event) => event.sequence > afterSequence))
        })
      })
    )
}
