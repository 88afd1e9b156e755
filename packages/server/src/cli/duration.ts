import { Effect } from "effect"
import { UsageError } from "./UsageError.js"

const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000 }

/** Parses `500ms`, `10s`, `2m` or a plain number of seconds into milliseconds. */
export const parseDuration = (option: string, text: string): Effect.Effect<number, UsageError> => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim())
  if (match === null) {
    return Effect.fail(
      new UsageError({ message: `${option} expects a duration such as 500ms, 10s or 2m, got "${text}"` })
    )
  }
  const millis = Math.round(Number(match[1]) * (units[match[2] ?? "s"] ?? 1_000))
  return millis > 0
    ? Effect.succeed(millis)
    : Effect.fail(new UsageError({ message: `${option} must be greater than zero, got "${text}"` }))
}

/** Parses a rate such as `20/s`, `20` (per second) or `600/m` into requests per second. */
export const parseRate = (option: string, text: string): Effect.Effect<number, UsageError> => {
  const match = /^(\d+(?:\.\d+)?)(?:\/(s|m))?$/.exec(text.trim())
  const value = match === null ? Number.NaN : Number(match[1]) / (match[2] === "m" ? 60 : 1)
  return Number.isFinite(value) && value > 0
    ? Effect.succeed(value)
    : Effect.fail(
        new UsageError({ message: `${option} expects a rate such as 20/s or 600/m, got "${text}"` })
      )
}

/** Parses a positive integer option. */
export const parsePositiveInteger = (option: string, text: string): Effect.Effect<number, UsageError> => {
  const value = Number(text)
  return Number.isInteger(value) && value > 0
    ? Effect.succeed(value)
    : Effect.fail(new UsageError({ message: `${option} expects a positive whole number, got "${text}"` }))
}

/** Parses a whole number of zero or more. */
export const parseNonNegativeInteger = (option: string, text: string): Effect.Effect<number, UsageError> => {
  const value = Number(text)
  return text.trim() !== "" && Number.isInteger(value) && value >= 0
    ? Effect.succeed(value)
    : Effect.fail(
        new UsageError({ message: `${option} expects a whole number of zero or more, got "${text}"` })
      )
}
