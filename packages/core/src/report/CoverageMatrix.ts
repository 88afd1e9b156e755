/**
 * The coverage matrix: operations against status codes, marking for each pair whether the spec
 * declares the status, whether the run saw it, or both.
 */
import type { OperationCoverage } from "../run/Run.js"
import { compareStrings } from "./text.js"

/**
 * The state of one cell:
 * - `declared`: the spec declares the status and the run never saw it;
 * - `seen`: the run saw the status and the spec declares it by that exact code;
 * - `covered`: the run saw the status, which the spec declares only through a range (`4XX`) or
 *   `default`. In a range or `default` column, it means the run saw a status that only this
 *   declaration covers;
 * - `undeclared`: the run saw a status that no declaration of the operation covers;
 * - `empty`: neither.
 */
export type CoverageCell = "declared" | "seen" | "covered" | "undeclared" | "empty"

/** One operation's row. */
export interface CoverageRow {
  readonly operationId: string
  readonly method: string
  readonly path: string
  /** One cell per column, in column order. */
  readonly cells: ReadonlyArray<CoverageCell>
}

/** Columns (status codes as the spec writes them, `4XX`, `default`) and one row per operation. */
export interface CoverageMatrix {
  readonly columns: ReadonlyArray<string>
  readonly rows: ReadonlyArray<CoverageRow>
}

const rangePattern = /^[1-5]XX$/i

// Exact codes sort numerically, a range after the exact codes it contains, `default` and anything
// unrecognized last.
const columnRank = (column: string): number => {
  if (/^\d{3}$/.test(column)) return Number(column)
  if (rangePattern.test(column)) return Number(column[0]) * 100 + 99.5
  return 1000
}

const compareColumns = (left: string, right: string): number =>
  columnRank(left) - columnRank(right) || compareStrings(left, right)

const inRange = (status: number, range: string): boolean => Math.floor(status / 100) === Number(range[0])

/** Normalizes a declared status to the column it names: ranges uppercase, others as written. */
const columnOf = (declared: string): string =>
  rangePattern.test(declared) ? declared.toUpperCase() : declared

/** Tells which declaration of an operation covers a seen status: its exact code, a range, `default` or none. */
const coverageOf = (
  declared: ReadonlySet<string>,
  status: number
): "exact" | "range" | "default" | "none" => {
  if (declared.has(String(status))) return "exact"
  if ([...declared].some((column) => rangePattern.test(column) && inRange(status, column))) return "range"
  if (declared.has("default")) return "default"
  return "none"
}

const cellOf = (declared: ReadonlySet<string>, seen: ReadonlyArray<number>, column: string): CoverageCell => {
  if (/^\d{3}$/.test(column)) {
    const status = Number(column)
    if (!seen.includes(status)) return declared.has(column) ? "declared" : "empty"
    const coverage = coverageOf(declared, status)
    if (coverage === "exact") return "seen"
    return coverage === "none" ? "undeclared" : "covered"
  }
  if (!declared.has(column)) return "empty"
  const matched = rangePattern.test(column)
    ? seen.some((status) => inRange(status, column) && coverageOf(declared, status) === "range")
    : seen.some((status) => coverageOf(declared, status) === "default")
  return matched ? "covered" : "declared"
}

/** Builds the coverage matrix: the columns are the union of every operation's declared and seen statuses. */
export const coverageMatrixOf = (coverage: ReadonlyArray<OperationCoverage>): CoverageMatrix => {
  const columnSet = new Set<string>()
  for (const operation of coverage) {
    for (const declared of operation.statusesDeclared) columnSet.add(columnOf(declared))
    for (const seen of operation.statusesSeen) columnSet.add(String(seen))
  }
  const columns = [...columnSet].sort(compareColumns)
  const rows = coverage.map((operation) => {
    const declared = new Set(operation.statusesDeclared.map(columnOf))
    return {
      operationId: operation.operationId,
      method: operation.method,
      path: operation.path,
      cells: columns.map((column) => cellOf(declared, operation.statusesSeen, column))
    }
  })
  return { columns, rows }
}
