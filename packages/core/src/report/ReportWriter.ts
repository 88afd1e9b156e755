/**
 * Writes report files. Each file is written to a temporary file beside it and then renamed over the
 * target, so a reader never sees a half-written report, and a failed write leaves the old file as it was.
 */

import { dirname } from "node:path"
import * as FileSystem from "@effect/platform/FileSystem"
import { Data, Effect, Random } from "effect"
import type { RunReport } from "../run/Run.js"
import { toHtmlReport } from "./HtmlReport.js"
import { toJsonReport } from "./JsonReport.js"
import { toJUnitReport } from "./JUnitReport.js"

/** A report file could not be written. */
export class ReportWriteError extends Data.TaggedError("ReportWriteError")<{
  /** The report file that was being written. */
  readonly path: string
  /** The format of the report. */
  readonly format: ReportFormat
  readonly cause: unknown
}> {
  override get message(): string {
    const detail = this.cause instanceof Error ? `: ${this.cause.message}` : ""
    return `Failed to write the ${this.format} report to ${this.path}${detail}. Check that the directory exists or can be created, that it is writable, and that the path is not a directory.`
  }
}

/** The report formats a run can be written as. */
export type ReportFormat = "json" | "junit" | "html"

/** Paths of the report files. A format without a path is not written. */
export interface ReportPaths {
  readonly json?: string
  readonly junit?: string
  readonly html?: string
}

const renderers: Record<ReportFormat, (report: RunReport) => string> = {
  json: toJsonReport,
  junit: toJUnitReport,
  html: toHtmlReport
}

/**
 * Writes `content` to `path` through a temporary file and a rename, creating missing parent
 * directories. On failure or interruption the temporary file is removed.
 */
export const writeFileAtomic = (
  path: string,
  content: string,
  format: ReportFormat
): Effect.Effect<void, ReportWriteError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const suffix = (yield* Random.nextIntBetween(0, 0x7fffffff)).toString(36)
    const temporary = `${path}.tmp-${suffix}`
    const fail = (cause: unknown) => new ReportWriteError({ path, format, cause })

    yield* fs.makeDirectory(dirname(path), { recursive: true }).pipe(Effect.mapError(fail))
    yield* fs.writeFileString(temporary, content).pipe(
      Effect.zipRight(fs.rename(temporary, path)),
      // Also on interruption, so that a cancelled run leaves no temporary file behind.
      Effect.onError(() => fs.remove(temporary, { force: true }).pipe(Effect.ignore)),
      Effect.mapError(fail)
    )
  }).pipe(Effect.withSpan("ReportWriter.writeFileAtomic", { attributes: { path, format } }))

/** Renders and writes each report that has a path, one after another, stopping at the first failure. */
export const writeReports = (
  paths: ReportPaths,
  report: RunReport
): Effect.Effect<void, ReportWriteError, FileSystem.FileSystem> =>
  Effect.forEach(
    (["json", "junit", "html"] as const).flatMap((format) => {
      const path = paths[format]
      return path === undefined ? [] : [{ format, path }]
    }),
    ({ format, path }) => writeFileAtomic(path, renderers[format](report), format),
    { discard: true }
  ).pipe(Effect.withSpan("ReportWriter.writeReports", { attributes: { runId: report.run.id } }))
