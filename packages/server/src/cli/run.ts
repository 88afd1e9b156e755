/**
 * `qawave run`: the main job. Loads the spec, runs the tests with the in-memory defaults, prints
 * progress and a summary, writes the requested reports and exits 0, 1 or 2.
 */

import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import {
  EventBus,
  layerDefaults,
  mask,
  type RunEvent,
  renderSummaryText,
  runTests,
  writeReports
} from "@qawave/core"
import { Effect, Stream } from "effect"
import { layerFileScenarioCache } from "../cache/FileScenarioCache.js"
import { ExitCode } from "./exitCodes.js"
import type { Output } from "./output.js"
import { parseRunInvocation, runHelp } from "./runOptions.js"

interface Progress {
  operations: number
  touched: Set<string>
  steps: number
  findings: number
}

const progressLine = (progress: Progress) =>
  `operations ${progress.touched.size}/${progress.operations}  steps ${progress.steps}  findings ${progress.findings}`

const followProgress = (runId: string, output: Output) =>
  Effect.gen(function* () {
    const bus = yield* EventBus
    const events = yield* bus.subscribe(runId)
    const progress: Progress = { operations: 0, touched: new Set(), steps: 0, findings: 0 }
    let lastDraw = 0
    const draw = (force: boolean) => {
      const now = Date.now()
      if (!force && now - lastDraw < 100) return
      lastDraw = now
      if (output.interactive) process.stderr.write(`\r\x1b[2K${progressLine(progress)}`)
    }
    yield* Stream.runForEach(events, (event: RunEvent) =>
      Effect.sync(() => {
        switch (event._tag) {
          case "OperationsPlanned":
            progress.operations = event.operations
            break
          case "StepExecuted":
            progress.steps++
            progress.touched.add(event.operationId)
            break
          case "FindingRecorded":
            progress.findings++
            if (!output.interactive)
              output.err(`finding: ${event.operationId} ${event.check}: ${event.message}`)
            break
          case "RunFinished":
            draw(true)
            if (output.interactive) process.stderr.write("\n")
            return
        }
        draw(false)
      })
    )
  })

export const runCommand = (argv: ReadonlyArray<string>, output: Output) =>
  Effect.gen(function* () {
    const invocation = yield* parseRunInvocation(argv, process.env)
    if (invocation === "help") {
      output.out(runHelp)
      return ExitCode.ok
    }
    const runId = invocation.config.runId ?? `run-${Date.now().toString(36)}`
    // Ctrl-C or SIGTERM (how CI systems cancel a job) cancels the run; the reports are still
    // written, with status "cancelled". A wrapper such as pnpm may pass the terminal's Ctrl-C on a
    // second time, so a repeat within a second is ignored. A later one stops the process at once.
    const interrupt = new AbortController()
    let cancelledAt = 0
    let cancelledBy: "SIGINT" | "SIGTERM" | undefined
    const onSignal = (signal: "SIGINT" | "SIGTERM") => {
      const now = Date.now()
      const code = signal === "SIGINT" ? ExitCode.interrupted : ExitCode.terminated
      if (cancelledAt === 0) {
        cancelledAt = now
        cancelledBy = signal
        output.err(
          signal === "SIGINT"
            ? "\ncancelling the run; press Ctrl-C again to stop at once"
            : "\ncancelling the run on SIGTERM; the reports are being written"
        )
        interrupt.abort(
          signal === "SIGINT" ? "the run was cancelled with Ctrl-C" : "the run was stopped with SIGTERM"
        )
      } else if (now - cancelledAt > 1_000) {
        process.exit(code)
      }
    }
    process.on("SIGINT", onSignal)
    process.on("SIGTERM", onSignal)
    const config = { ...invocation.config, runId, signal: interrupt.signal }
    const report = yield* Effect.scoped(
      Effect.gen(function* () {
        if (invocation.progress) yield* Effect.forkScoped(followProgress(runId, output))
        // Let the progress fiber subscribe before the first event is published.
        yield* Effect.yieldNow()
        return yield* runTests(config)
      })
    ).pipe(
      Effect.provide(layerFileScenarioCache(invocation.cacheDirectory)),
      Effect.provide(layerDefaults(config))
    )
    process.off("SIGINT", onSignal)
    process.off("SIGTERM", onSignal)
    // The summary comes first, so it is shown even when a report cannot be written.
    const summary = renderSummaryText(report)
    output.out(summary)
    // The summary's curl lines show `***` for secrets, so the reader learns where the values are.
    if (summary.includes(mask) && invocation.secretSources.length > 0)
      output.out(`  The masked secrets come from ${invocation.secretSources.join(", ")}.`)
    for (const note of report.notes) if (note.startsWith("warning:")) output.err(`qawave: ${note}`)
    yield* writeReports(invocation.reports, report).pipe(Effect.provide(NodeFileSystem.layer))
    if (cancelledBy !== undefined)
      return cancelledBy === "SIGINT" ? ExitCode.interrupted : ExitCode.terminated
    if (report.run.status === "errored") {
      output.err(`qawave run: ${report.run.reason ?? "the run could not test the API"}`)
      return ExitCode.usage
    }
    return report.findings.length > 0 ? ExitCode.findings : ExitCode.ok
  })
