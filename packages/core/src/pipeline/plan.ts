/**
 * Chooses the operations a run tests: usable ones that match the filter.
 */
import type { ApiSpec, Operation } from "../spec/model.js"
import { isUsable } from "../spec/model.js"
import type { OperationFilter } from "./RunConfig.js"

export interface Plan {
  readonly operations: ReadonlyArray<Operation>
  readonly skipped: ReadonlyArray<{ readonly operationId: string; readonly reason: string }>
}

const matchesPath = (patterns: ReadonlyArray<string>, path: string): boolean =>
  patterns.some((pattern) =>
    pattern.endsWith("*") ? path.startsWith(pattern.slice(0, -1)) : path === pattern
  )

const matchesFilter = (filter: OperationFilter, operation: Operation): boolean => {
  if (filter.operationIds?.length && !filter.operationIds.includes(operation.id)) return false
  if (filter.tags?.length && !operation.tags.some((tag) => filter.tags!.includes(tag))) return false
  if (filter.paths?.length && !matchesPath(filter.paths, operation.path)) return false
  return true
}

/** Splits the spec's operations into those to test and those left out, with the reason for each. */
export const planOperations = (spec: ApiSpec, filter: OperationFilter = {}): Plan => {
  const operations: Array<Operation> = []
  const skipped: Array<{ operationId: string; reason: string }> = []
  for (const operation of spec.operations) {
    if (!matchesFilter(filter, operation)) continue
    if (!isUsable(operation)) {
      const problems = operation.problems.filter((problem) => problem.severity === "error")
      skipped.push({
        operationId: operation.id,
        reason: problems.map((problem) => problem.message).join("; ")
      })
      continue
    }
    operations.push(operation)
  }
  return { operations, skipped }
}
