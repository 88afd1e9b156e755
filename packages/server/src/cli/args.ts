/**
 * Command-line parsing shared by the commands: Node's `parseArgs`, with a value that starts with a
 * minus sign accepted after its option and a suggestion for a misspelt option.
 */
import { parseArgs } from "node:util"
import { Effect } from "effect"
import { UsageError } from "./UsageError.js"

/** Option declarations in the shape `parseArgs` takes. */
type Options = Readonly<
  Record<
    string,
    { readonly type: "string" | "boolean"; readonly multiple?: boolean; readonly short?: string }
  >
>

/**
 * Joins `--option -1` into `--option=-1` for options that take a value. `parseArgs` would read `-1`
 * as an option of its own, so a negative seed or number needed the `=` form.
 */
const joinNegativeValues = (argv: ReadonlyArray<string>, options: Options): Array<string> => {
  const out: Array<string> = []
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!
    const next = argv[index + 1]
    const name = token.startsWith("--") ? token.slice(2) : undefined
    if (name !== undefined && options[name]?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      out.push(`${token}=${next}`)
      index++
      continue
    }
    out.push(token)
  }
  return out
}

/** Edit distance between two short strings: insertions, deletions and substitutions. */
const editDistance = (left: string, right: string): number => {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index)
  for (let i = 1; i <= left.length; i++) {
    const current = [i]
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1)
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution))
    }
    previous = current
  }
  return previous[right.length]!
}

/** Finds the known name closest to `typed`, when it is close enough to be a likely typo. */
export const closestName = (typed: string, names: ReadonlyArray<string>): string | undefined => {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const name of names) {
    const distance = editDistance(typed, name)
    if (distance < bestDistance) {
      best = name
      bestDistance = distance
    }
  }
  return bestDistance <= Math.max(2, Math.floor(typed.length / 3)) ? best : undefined
}

/** Rewrites Node's messages for an unknown option and a missing value in the commands' own style. */
const parseErrorMessage = (error: Error, options: Options): string | undefined => {
  const code = (error as { code?: unknown }).code
  const option = /'(-[^' ]+)/.exec(error.message)?.[1]
  if (option === undefined) return undefined
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE")
    return `${option} is missing its value; give one right after it, as in ${option}=VALUE`
  if (code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION") return undefined
  const suggestion = closestName(option.replace(/^-+/, "").split("=")[0]!, Object.keys(options))
  return suggestion === undefined
    ? `unknown option ${option}`
    : `unknown option ${option} (did you mean --${suggestion}?)`
}

/** The parsed value of each option: a string or a boolean, or a list of them for `multiple`. */
type Values<T extends Options> = {
  -readonly [K in keyof T]?: T[K]["type"] extends "boolean"
    ? T[K]["multiple"] extends true
      ? Array<boolean>
      : boolean
    : T[K]["multiple"] extends true
      ? Array<string>
      : string
}

/** The options and positionals of one command line. */
export interface ParsedArgs<T extends Options> {
  readonly values: Values<T>
  readonly positionals: Array<string>
}

/** Parses a command's arguments, failing with a `UsageError` that points to the command's help. */
export const parseCommandArgs = <const T extends Options>(
  argv: ReadonlyArray<string>,
  options: T,
  command: string,
  allowPositionals = true
): Effect.Effect<ParsedArgs<T>, UsageError> =>
  Effect.try({
    try: () => {
      const parsed = parseArgs({
        args: joinNegativeValues(argv, options),
        allowPositionals,
        options,
        strict: true
      })
      return { values: parsed.values as Values<T>, positionals: parsed.positionals }
    },
    catch: (error) => {
      const cause = error as Error
      const message = parseErrorMessage(cause, options) ?? cause.message
      return new UsageError({ message: `${message}; see qawave ${command} --help` })
    }
  })
