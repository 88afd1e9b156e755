/**
 * `qawave model-server`: a local OpenAI-compatible server for trying QAWave's AI generator offline.
 */
import { type FaultName, faultNames, startModelServer } from "@qawave/core/model-server"
import { Effect } from "effect"
import { parseCommandArgs } from "./args.js"
import { parseNonNegativeInteger } from "./duration.js"
import { ExitCode } from "./exitCodes.js"
import type { Output } from "./output.js"
import { UsageError } from "./UsageError.js"

export const modelServerHelp = `Usage: qawave model-server [options]

Starts a local OpenAI-compatible server (POST /v1/chat/completions, GET /v1/models) on 127.0.0.1 whose
built-in model writes answers that follow the requested JSON schema. Stop it with Ctrl-C.

Options:
  --port <n>          port to listen on (default: a free port)
  --latency-ms <n>    delay added to every answer, in milliseconds
  --fault <name>      misbehave on every request: ${faultNames.join(", ")}
  -h, --help          show this help`

const isFaultName = (name: string): name is FaultName => (faultNames as ReadonlyArray<string>).includes(name)

export const modelServerCommand = (argv: ReadonlyArray<string>, output: Output) =>
  Effect.gen(function* () {
    const { values } = yield* parseCommandArgs(
      argv,
      {
        port: { type: "string" },
        "latency-ms": { type: "string" },
        fault: { type: "string" },
        help: { type: "boolean", short: "h" }
      },
      "model-server",
      false
    )
    if (values.help) {
      output.out(modelServerHelp)
      return ExitCode.ok
    }
    const port = values.port === undefined ? 0 : yield* parseNonNegativeInteger("--port", values.port)
    const latencyMs =
      values["latency-ms"] === undefined
        ? 0
        : yield* parseNonNegativeInteger("--latency-ms", values["latency-ms"])
    const fault = values.fault
    if (fault !== undefined && !isFaultName(fault)) {
      return yield* new UsageError({
        message: `--fault must be one of ${faultNames.join(", ")}, got "${fault}"`
      })
    }
    const server = yield* Effect.promise(() =>
      startModelServer({ port, latencyMs, ...(fault === undefined ? {} : { fault }) })
    )
    output.out(server.baseUrl)
    output.err(
      `model server listening; use --ai-base-url ${server.baseUrl} --ai-model qawave-local (any model name is accepted); press Ctrl-C to stop`
    )
    yield* Effect.async<void>((resume) => {
      const stop = () => resume(Effect.void)
      process.once("SIGINT", stop)
      process.once("SIGTERM", stop)
    })
    yield* Effect.promise(() => server.close())
    output.err("model server stopped")
    return ExitCode.ok
  })
