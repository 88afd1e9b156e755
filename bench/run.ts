/**
 * `pnpm bench [name ...]`: runs benchmarks, writes each result to bench/results/<name>.json and prints
 * a table. Every benchmark measures its own baseline in the same run, so ratios stay meaningful on a
 * shared, noisy machine.
 */
import { mkdir, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/** What a benchmark module returns: the JSON to store and the rows of the table to print. */
export interface BenchOutcome {
  readonly result: object
  readonly table: ReadonlyArray<Readonly<Record<string, string | number>>>
}

type Bench = () => Promise<BenchOutcome>

const benches: Record<string, () => Promise<Bench>> = {
  ingest: async () => (await import("./ingest.js")).benchIngest,
  run: async () => (await import("./run-steps.js")).benchRun,
  ai: async () => (await import("./ai.js")).benchAi
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "results")

const printTable = (rows: ReadonlyArray<Readonly<Record<string, string | number>>>) => {
  if (rows.length === 0) return
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]
  const cell = (value: string | number | undefined) => (value === undefined ? "" : String(value))
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => cell(row[column]).length))
  )
  const line = (values: ReadonlyArray<string>) =>
    values.map((value, i) => value.padEnd(widths[i] ?? 0)).join("  ")
  console.log(line(columns))
  console.log(line(widths.map((width) => "-".repeat(width))))
  for (const row of rows) console.log(line(columns.map((column) => cell(row[column]))))
}

const main = async () => {
  const requested = process.argv.slice(2)
  const names = requested.length === 0 ? Object.keys(benches) : requested
  const unknown = names.filter((name) => !(name in benches))
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(", ")}; available: ${Object.keys(benches).join(", ")}`)
    process.exitCode = 2
    return
  }
  await mkdir(resultsDir, { recursive: true })
  for (const name of names) {
    console.log(`\n# ${name}`)
    const bench = await benches[name]!()
    const outcome = await bench()
    const file = join(resultsDir, `${name}.json`)
    await writeFile(file, `${JSON.stringify(outcome.result, null, 2)}\n`)
    printTable(outcome.table)
    console.log(`wrote ${file}`)
  }
}

await main()
