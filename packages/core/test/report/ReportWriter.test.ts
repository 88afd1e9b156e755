import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import {
  ReportWriteError,
  toHtmlReport,
  toJsonReport,
  toJUnitReport,
  writeReports
} from "../../src/report/index.js"
import { runReport } from "./fixture.js"

/** A fresh directory under the system temporary directory, removed when the test's scope closes. */
const temporaryDirectory = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "qawave-report-"))),
  (directory) => Effect.promise(() => rm(directory, { recursive: true, force: true }))
)

/** Every file below `directory`, as paths relative to it. */
const listFiles = (directory: string) =>
  Effect.promise(() => readdir(directory, { recursive: true })).pipe(Effect.map((entries) => entries.sort()))

describe("writeReports", () => {
  it.scoped("writes each format into missing directories", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const paths = {
        json: join(directory, "out", "json", "report.json"),
        junit: join(directory, "out", "junit.xml"),
        html: join(directory, "html", "deep", "report.html")
      }

      yield* writeReports(paths, runReport)

      expect(yield* Effect.promise(() => readFile(paths.json, "utf8"))).toBe(toJsonReport(runReport))
      expect(yield* Effect.promise(() => readFile(paths.junit, "utf8"))).toBe(toJUnitReport(runReport))
      expect(yield* Effect.promise(() => readFile(paths.html, "utf8"))).toBe(toHtmlReport(runReport))
      const files = yield* listFiles(directory)
      expect(files.filter((file) => file.includes(".tmp-"))).toEqual([])
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("writes a large JSON report in batches", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const path = join(directory, "report.json")
      // Enough findings for many write batches, each with a body of non-ASCII text.
      const many = Array.from({ length: 2_000 }, (_, index) => ({
        ...runReport.findings[0]!,
        id: `finding-${index}`,
        message: `Grüße ${index}: ${"ü".repeat(40)}`
      }))
      const report = { ...runReport, findings: many }

      yield* writeReports({ json: path }, report)

      const text = yield* Effect.promise(() => readFile(path, "utf8"))
      expect(text.length).toBeGreaterThan(4 * 65_536)
      expect(text).toBe(toJsonReport(report))
      expect(yield* listFiles(directory)).toEqual(["report.json"])
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("writes only the formats given", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      yield* writeReports({ junit: join(directory, "junit.xml") }, runReport)
      expect(yield* listFiles(directory)).toEqual(["junit.xml"])
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("replaces an existing report", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const path = join(directory, "report.json")
      yield* Effect.promise(() => writeFile(path, "old content that is longer than nothing"))

      yield* writeReports({ json: path }, runReport)

      expect(yield* Effect.promise(() => readFile(path, "utf8"))).toBe(toJsonReport(runReport))
      expect(yield* listFiles(directory)).toEqual(["report.json"])
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  // File permissions do not stop root, which runs these tests in CI, so the directory that cannot
  // be created is one below a regular file.
  it.scoped("fails when the directory cannot be created", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const blocker = join(directory, "not-a-directory")
      yield* Effect.promise(() => writeFile(blocker, "a file"))
      const path = join(blocker, "reports", "report.html")

      const error = yield* Effect.flip(writeReports({ html: path }, runReport))
      expect(error).toBeInstanceOf(ReportWriteError)
      expect(error._tag).toBe("ReportWriteError")
      expect(error.path).toBe(path)
      expect(error.format).toBe("html")
      expect(error.message).toContain(path)
      expect(error.message).toContain(`a part of ${dirname(path)} is a file, not a directory`)
      expect(yield* listFiles(directory)).toEqual(["not-a-directory"])
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("names every report it could not write", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const blocker = join(directory, "not-a-directory")
      yield* Effect.promise(() => writeFile(blocker, "a file"))
      const junit = join(blocker, "report.xml")
      const html = join(blocker, "report.html")

      const error = yield* Effect.flip(
        writeReports({ json: join(directory, "report.json"), junit, html }, runReport)
      )
      expect(error.path).toBe(junit)
      expect(error.message).toContain(`Failed to write the junit report to ${junit}: a part of`)
      expect(error.message).not.toContain("undefined")
      expect(error.message).toContain(`Failed to write the html report to ${html}`)
      expect(yield* listFiles(directory)).toEqual(["not-a-directory", "report.json"])
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("leaves no partial file when the rename fails", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const jsonPath = join(directory, "report.json")
      // A directory (with an entry, so it cannot be replaced) where the HTML report should go.
      const htmlPath = join(directory, "report.html")
      yield* Effect.promise(() => mkdir(join(htmlPath, "keep"), { recursive: true }))

      const error = yield* Effect.flip(writeReports({ json: jsonPath, html: htmlPath }, runReport))

      expect(error.path).toBe(htmlPath)
      expect(error.format).toBe("html")
      expect(error.message).toContain("the path is a directory; give the path of a file")
      expect(yield* listFiles(directory)).toEqual(
        ["report.html", "report.json", join("report.html", "keep")].sort()
      )
      expect(yield* Effect.promise(() => readFile(jsonPath, "utf8"))).toBe(toJsonReport(runReport))
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scoped("writes the others after a failure", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const blocker = join(directory, "file")
      yield* Effect.promise(() => writeFile(blocker, ""))
      const junitPath = join(directory, "junit.xml")

      const error = yield* Effect.flip(
        writeReports({ json: join(blocker, "r.json"), junit: junitPath }, runReport)
      )

      expect(error.format).toBe("json")
      expect(yield* listFiles(directory)).toEqual(["file", "junit.xml"])
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})
