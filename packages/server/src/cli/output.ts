/** Where the CLI writes: standard output for results, standard error for progress and errors. */
export interface Output {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  /** Whether standard error is a terminal, so progress can redraw one line. */
  readonly interactive: boolean
}

export const processOutput: Output = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  interactive: process.stderr.isTTY === true
}
