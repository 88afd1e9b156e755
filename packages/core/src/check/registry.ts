/** The registry of checks, and the selection of the checks a run applies. */
import { Data, Either } from "effect"
import { businessRule } from "./businessRule.js"
import { allCheckNames, type Check, type CheckName } from "./Check.js"
import { contentTypeConformance } from "./contentType.js"
import { ignoredAuth, negativeDataRejection, positiveDataAcceptance, useAfterFree } from "./intentChecks.js"
import { responseHeadersConformance } from "./responseHeaders.js"
import { responseSchemaConformance } from "./responseSchema.js"
import { maxResponseTime, notAServerError, statusCodeConformance } from "./statusChecks.js"

/** Every check, in the order reports list them. */
export const checks: ReadonlyArray<Check> = [
  notAServerError,
  statusCodeConformance,
  contentTypeConformance,
  responseSchemaConformance,
  responseHeadersConformance,
  negativeDataRejection,
  positiveDataAcceptance,
  ignoredAuth,
  useAfterFree,
  maxResponseTime,
  businessRule
]

/** A check name in `include` or `exclude` that no check has. */
export class UnknownCheckError extends Data.TaggedError("UnknownCheckError")<{
  readonly names: ReadonlyArray<string>
  readonly validNames: ReadonlyArray<CheckName>
}> {
  override get message(): string {
    return `Unknown check name${this.names.length === 1 ? "" : "s"} ${this.names.map((name) => `"${name}"`).join(", ")}; valid names are ${this.validNames.join(", ")}`
  }
}

/** Selection of checks to run: the `include` list when given (all checks otherwise), minus `exclude`. */
export interface CheckSelection {
  readonly include?: ReadonlyArray<string>
  readonly exclude?: ReadonlyArray<string>
}

const validNames: ReadonlySet<string> = new Set(allCheckNames)

/**
 * Returns the checks a selection names, in registry order, or an `UnknownCheckError` that lists every
 * unknown name and the valid ones. Names are strings because they usually come from configuration.
 */
export const selectChecks = (
  selection: CheckSelection = {}
): Either.Either<ReadonlyArray<Check>, UnknownCheckError> => {
  const named = [...(selection.include ?? []), ...(selection.exclude ?? [])]
  const unknown = [...new Set(named.filter((name) => !validNames.has(name)))]
  if (unknown.length > 0)
    return Either.left(new UnknownCheckError({ names: unknown, validNames: allCheckNames }))
  const included = selection.include === undefined ? undefined : new Set(selection.include)
  const excluded = new Set(selection.exclude ?? [])
  return Either.right(
    checks.filter(
      (check) => (included === undefined || included.has(check.name)) && !excluded.has(check.name)
    )
  )
}
