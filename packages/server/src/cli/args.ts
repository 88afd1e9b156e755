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

/**
 * Edit distance between two short strings: insertions, deletions, substitutions and swaps of two
 * neighbouring characters, the commonest typo.
 */
const editDistance = (left: string, right: string): number => {
  // rows[i][j] is the distance between the first i characters of `left` and the first j of `right`.
  const rows = Array.from({ length: left.length + 1 }, () => new Array<number>(right.length + 1).fill(0))
  for (let i = 0; i <= left.length; i++) rows[i]![0] = i
  for (let j = 0; j <= right.length; j++) rows[0]![j] = j
  for (let i = 1; i <= left.length; i++) {
    for (let j = 1; j <= right.length; j++) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1
      let distance = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1])
        distance = Math.min(distance, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = distance
    }
  }
  return rows[left.length]![right.length]!
}

/**
 * Finds the known name closest to `typed`, when it is close enough to be a likely typo. Between names
 * at the same distance, one of the typed length wins, as a swap keeps the length.
 */
export const closestName = (typed: string, names: ReadonlyArray<string>): string | undefined => {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const name of names) {
    const distance = editDistance(typed, name)
    const closer = distance < bestDistance
    const sameLengthTie =
      distance === bestDistance && name.length === typed.length && best?.length !== typed.length
    if (closer || sameLengthTie) {
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
