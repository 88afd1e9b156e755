/**
 * A `ScenarioCache` in a directory, one JSON file per key, so that separate `qawave run` processes
 * share AI scenarios: running an unchanged spec again makes no model call.
 */
import { createHash, randomBytes } from "node:crypto"
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Scenario, ScenarioCache, type ScenarioCacheService } from "@qawave/core"
import { Clock, Effect, Layer, Option, Schema } from "effect"

const Entry = Schema.Struct({ expiresAt: Schema.Number, scenarios: Schema.Array(Scenario) })
const decodeEntry = Schema.decodeUnknownOption(Schema.parseJson(Entry))

const fileName = (key: string) => `${createHash("sha256").update(key).digest("hex")}.json`

/**
 * Builds the cache over `directory`. A missing, expired or unreadable entry is a miss, and a failed
 * write is logged and ignored: the cache only saves model calls, it never fails a run.
 */
export const makeFileScenarioCache = (directory: string, ttlMs: number): ScenarioCacheService => ({
  get: (key) =>
    Effect.gen(function* () {
      const text = yield* Effect.tryPromise(() => readFile(join(directory, fileName(key)), "utf8")).pipe(
        Effect.option
      )
      if (Option.isNone(text)) return Option.none()
      const now = yield* Clock.currentTimeMillis
      return decodeEntry(text.value).pipe(
        Option.filter((entry) => entry.expiresAt > now),
        Option.map((entry) => entry.scenarios)
      )
    }),
  set: (key, scenarios) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const path = join(directory, fileName(key))
      const temporary = `${path}.tmp-${randomBytes(6).toString("hex")}`
      yield* Effect.tryPromise(async () => {
        await mkdir(directory, { recursive: true })
        await writeFile(temporary, JSON.stringify({ expiresAt: now + ttlMs, scenarios }))
        await rename(temporary, path)
      }).pipe(
        Effect.catchAll((error) =>
          Effect.zipRight(
            Effect.promise(() => rm(temporary, { force: true })),
            Effect.logWarning("could not store AI scenarios in the cache", {
              directory,
              error: String(error.error)
            })
          )
        )
      )
    })
})

/** The file-backed cache as a layer. */
export const layerFileScenarioCache = (directory: string, ttlMs = 7 * 24 * 60 * 60 * 1_000) =>
  Layer.succeed(ScenarioCache, makeFileScenarioCache(directory, ttlMs))
