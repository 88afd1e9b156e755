import { Data } from "effect"

/** Why a run could not start: the configuration or the spec is unusable. */
export class RunError extends Data.TaggedError("RunError")<{
  readonly reason: "InvalidConfig" | "SpecLoad" | "NoOperations"
  readonly message: string
  readonly cause?: unknown
}> {}
