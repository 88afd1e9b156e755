/**
 * Writes report files. Each file is written to a temporary file beside it and then renamed over the
 * target, so a reader never sees a half-written report, and a failed write leaves the old file as it was.
 */

import { dirname } from "node:path"
import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import { Data, Effect, Either, Random } from "effect"
import type { RunReport } from "../run/Run.js"
import { toHtmlReport } from "./HtmlReport.js"
import { jsonReportChunks } from "./JsonReport.js"
import { toJUnitReport } from "./JUnitReport.js"

/** A report file could not be written. */
export class ReportWriteError extends Data.TaggedError("ReportWriteError")<{
  /** The report file that was being written. */
  readonly path: string
  /** The format of the report. */
  readonly format: ReportFormat
  readonly cause: unknown
  /** Failures of the other reports of the same call, so that one error names every unwritten report. */
  readonly others?: ReadonlyArray<ReportWriteError>
}> {
  override get message(): string {
    const own = `Failed to write the ${this.format} report to ${this.path}: ${describeCause(this.path, this.cause)}.`
    return [own, ...(this.others ?? []).map((other) => other.message)].join(" ")
  }
}

/** Says why a write failed and what to change, from the platform error's `reason` when it has one. */
const describeCause = (path: string, cause: unknown): string => {
  const reason = (cause as { reason?: unknown } | undefined)?.reason
  const method = String((cause as { method?: unknown } | undefined)?.method ?? "")
  // EEXIST (the directory itself is a file) and ENOTDIR (a parent is a file) both mean a file is in the way.
  if ((reason === "AlreadyExists" || reason === "BadResource") && method.includes("makeDirectory"))
    return `a part of ${dirname(path)} is a file, not a directory; choose another report path`
  if (reason === "BadResource" && method.includes("rename"))
    return "the path is a directory; give the path of a file"
  if (reason === "PermissionDenied")
    return `permission denied; choose a writable directory or change the permissions of ${dirname(path)}`
  const detail = cause instanceof Error ? cause.message : String(cause)
  return `${detail}; check that the directory can be created and written`
}

/** The report formats a run can be written as. */
export type ReportFormat = "json" | "junit" | "html"

/** Paths of the report files. A format without a path is not written. */
export interface ReportPaths {
  readonly json?: string
  readonly junit?: string
  readonly html?: string
}

const renderers: Record<ReportFormat, (report: RunReport) => string | Iterable<string>> = {
  json: jsonReportChunks,
  junit: toJUnitReport,
  html: toHtmlReport
}

// Pieces are gathered to about this many characters before each write, so a report of many small
// pieces costs few system calls.
const writeBatchChars = 1 << 16

/** Writes text given in pieces to an open file, in batches of about `writeBatchChars` characters. */
const writePieces = (file: FileSystem.File, pieces: Iterable<string>): Effect.Effect<void, PlatformError> => {
  const iterator = pieces[Symbol.iterator]()
  const encoder = new TextEncoder()
  const writeNext = (): Effect.Effect<void, PlatformError> =>
    Effect.suspend(() => {
      let batch = ""
      let result = iterator.next()
      while (result.done !== true) {
        batch += result.value
        if (batch.length >= writeBatchChars) break
        result = iterator.next()
      }
      if (batch === "") return Effect.void
      const written = file.writeAll(encoder.encode(batch))
      return result.done === true ? written : Effect.zipRight(written, writeNext())
    })
  return writeNext()
}

/**
 * Writes `content` to `path` through a temporary file and a rename, creating missing parent
 * directories. Content given in pieces is written piece by piece, so its whole text is never held.
 * On failure or interruption the temporary file is removed.
 */
export const writeFileAtomic = (
  path: string,
  content: string | Iterable<string>,
  format: ReportFormat
): Effect.Effect<void, ReportWriteError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const suffix = (yield* Random.nextIntBetween(0, 0x7fffffff)).toString(36)
    const temporary = `${path}.tmp-${suffix}`
    const fail = (cause: unknown) => new ReportWriteError({ path, format, cause })

    yield* fs.makeDirectory(dirname(path), { recursive: true }).pipe(Effect.mapError(fail))
    const written =
      typeof content === "string"
        ? fs.writeFileString(temporary, content)
        : Effect.scoped(
            Effect.flatMap(fs.open(temporary, { flag: "w" }), (file) => writePieces(file, content))
          )
    yield* written.pipe(
      Effect.zipRight(fs.rename(temporary, path)),
      // Also on interruption, so that a cancelled run leaves no temporary file behind.
      Effect.onError(() => fs.remove(temporary, { force: true }).pipe(Effect.ignore)),
      Effect.mapError(fail)
    )
  }).pipe(Effect.withSpan("ReportWriter.writeFileAtomic", { attributes: { path, format } }))

/**
 * Renders and writes each report that has a path, one after another. A failed write does not stop
 * the others; the effect then fails with the first error.
 */
export const writeReports = (
  paths: ReportPaths,
  report: RunReport
): Effect.Effect<void, ReportWriteError, FileSystem.FileSystem> =>
  Effect.forEach(
    (["json", "junit", "html"] as const).flatMap((format) => {
      const path = paths[format]
      return path === undefined ? [] : [{ format, path }]
    }),
    ({ format, path }) => Effect.either(writeFileAtomic(path, renderers[format](report), format))
  ).pipe(
    Effect.flatMap((results) => {
      const [first, ...others] = results.filter(Either.isLeft).map((result) => result.left)
      if (first === undefined) return Effect.void
      if (others.length === 0) return Effect.fail(first)
      // The fields are named one by one: `cause` is not an enumerable property, so a spread drops it.
      return Effect.fail(
        new ReportWriteError({ path: first.path, format: first.format, cause: first.cause, others })
      )
    }),
    Effect.withSpan("ReportWriter.writeReports", { attributes: { runId: report.run.id } })
  )
