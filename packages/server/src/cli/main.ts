/**
 * The `qawave` command: dispatches to a subcommand and turns its result into an exit code.
 */
import { Cause, Effect, Exit, Logger } from "effect"
import { closestName } from "./args.js"
import { ExitCode } from "./exitCodes.js"
import { inspectCommand } from "./inspect.js"
import { modelServerCommand } from "./modelServer.js"
import type { Output } from "./output.js"
import { runCommand } from "./run.js"

export const mainHelp = `Usage: qawave <command> [options]

Commands:
  run <spec> --base-url <url>   generate tests from an OpenAPI description, run them and report findings
  inspect <spec>                list the operations, problems and warnings QAWave reads in a spec
  model-server                  start a local OpenAI-compatible model server for offline use

Run "qawave <command> --help" for a command's options.`

const commands: Record<
  string,
  (argv: ReadonlyArray<string>, output: Output) => Effect.Effect<number, unknown>
> = {
  run: runCommand,
  inspect: inspectCommand,
  "model-server": modelServerCommand
}

const describeFailure = (error: unknown): { code: number; message: string } => {
  if (typeof error === "object" && error !== null && "_tag" in error) {
    const tagged = error as { _tag: string; message?: string }
    switch (tagged._tag) {
      case "UsageError":
      case "SpecLoadError":
      case "RunError":
      case "CheckSelectionError":
        return { code: ExitCode.usage, message: tagged.message ?? tagged._tag }
      case "ReportWriteError":
        return { code: ExitCode.internal, message: tagged.message ?? tagged._tag }
    }
  }
  return { code: ExitCode.internal, message: error instanceof Error ? error.message : String(error) }
}

const stderrLogger = Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))

/** Runs the command line and returns the process exit code. */
export const main = async (argv: ReadonlyArray<string>, output: Output): Promise<number> => {
  const [name, ...rest] = argv
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    output.out(mainHelp)
    return name === undefined ? ExitCode.usage : ExitCode.ok
  }
  if (name === "--version" || name === "-v") {
    output.out("0.1.0")
    return ExitCode.ok
  }
  const command = commands[name]
  if (command === undefined) {
    const suggestion = closestName(name, Object.keys(commands))
    const hint = suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`
    output.err(`qawave: unknown command "${name}"${hint}\n\n${mainHelp}`)
    return ExitCode.usage
  }
  // Log lines go to standard error, so standard output holds only what the command prints on purpose.
  const exit = await Effect.runPromiseExit(command(rest, output).pipe(Effect.provide(stderrLogger)))
  if (Exit.isSuccess(exit)) return exit.value
  if (Cause.isInterruptedOnly(exit.cause)) {
    output.err("qawave: interrupted")
    return ExitCode.interrupted
  }
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "Some") {
    const { code, message } = describeFailure(failure.value)
    output.err(`qawave ${name}: ${message}`)
    return code
  }
  output.err(`qawave ${name}: unexpected failure\n${Cause.pretty(exit.cause)}`)
  return ExitCode.internal
}
