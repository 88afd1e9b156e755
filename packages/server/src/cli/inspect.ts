/**
 * `qawave inspect <file-or-url> [--json] [--validate strict]`: what QAWave reads in a spec.
 */
import {
  type ApiSpec,
  isUsable,
  loadSpec,
  type SecurityScheme,
  SpecCache,
  type SpecProblem
} from "@qawave/core"
import { Effect } from "effect"
import { parseCommandArgs } from "./args.js"
import { ExitCode } from "./exitCodes.js"
import type { Output } from "./output.js"
import { UsageError } from "./UsageError.js"

export const inspectHelp = `Usage: qawave inspect <file-or-url> [options]

Prints the operations of an OpenAPI description with their problems and warnings.

Options:
  --json               print { operations, problems, warnings } as JSON
  --validate <mode>    default: problems found while normalizing; strict: also run full validation
  --server-var <n=v>   fill a server variable (repeatable)
  -h, --help           show this help

Exit codes: 0 when at least one operation is usable, 2 when none is or the document cannot be read.`

const problemLine = (problem: SpecProblem) =>
  `  ${problem.severity === "error" ? "error" : "warning"} ${problem.code} at ${problem.pointer || "/"}: ${problem.message}`

const describeScheme = (scheme: SecurityScheme): string => {
  switch (scheme.type) {
    case "apiKey":
      return `apiKey in ${scheme.in} "${scheme.parameterName}" (--api-key ${scheme.name}=<value>)`
    case "http":
      return scheme.scheme === "basic"
        ? "http basic (--basic-auth)"
        : `http ${scheme.scheme} (--bearer-token)`
    case "oauth2":
    case "openIdConnect":
      return `${scheme.type} (--bearer-token)`
    case "mutualTLS":
      return "mutualTLS (not supported)"
  }
}

const renderText = (spec: ApiSpec): string => {
  const lines = [
    `${spec.title} ${spec.version} (${spec.specVersion === "2.0" ? "Swagger" : "OpenAPI"} ${spec.specVersion})`,
    ""
  ]
  // Columns line up; a path or id longer than its cap only pushes its own line to the right.
  const width = Math.max(6, ...spec.operations.map((operation) => operation.method.length))
  const pathWidth = Math.min(60, Math.max(0, ...spec.operations.map((operation) => operation.path.length)))
  const idWidth = Math.min(40, Math.max(0, ...spec.operations.map((operation) => operation.id.length)))
  for (const operation of spec.operations) {
    const state = isUsable(operation) ? "" : "  [unusable]"
    lines.push(
      `${operation.method.toUpperCase().padEnd(width)} ${operation.path.padEnd(pathWidth)}  ${operation.id.padEnd(idWidth)}  params=${operation.parameters.length} responses=${operation.responses.length}${state}`
    )
    for (const problem of operation.problems) lines.push(problemLine(problem))
  }
  const usable = spec.operations.filter(isUsable).length
  const count = spec.operations.length
  lines.push("", `${count} ${count === 1 ? "operation" : "operations"}, ${usable} usable`)
  const schemes = Object.values(spec.securitySchemes)
  if (schemes.length > 0) {
    // These names are what --api-key <scheme>=<value> and QAWAVE_API_KEY_<SCHEME> refer to.
    lines.push(
      "",
      "Security schemes:",
      ...schemes.map((scheme) => `  ${scheme.name}: ${describeScheme(scheme)}`)
    )
  }
  if (spec.problems.length > 0) {
    lines.push("", `Document problems (${spec.problems.length}):`, ...spec.problems.map(problemLine))
  }
  if (spec.warnings.length > 0) {
    lines.push("", `Warnings (${spec.warnings.length}):`, ...spec.warnings.map(problemLine))
  }
  return lines.join("\n")
}

const renderJson = (spec: ApiSpec): string =>
  JSON.stringify(
    {
      operations: spec.operations.map((operation) => ({
        id: operation.id,
        method: operation.method,
        path: operation.path,
        problems: operation.problems
      })),
      problems: spec.problems,
      warnings: spec.warnings
    },
    null,
    2
  )

/** Parses `name=value` pairs of repeatable options. */
export const parsePairs = (option: string, values: ReadonlyArray<string>) =>
  Effect.forEach(values, (pair) => {
    const index = pair.indexOf("=")
    return index <= 0
      ? Effect.fail(new UsageError({ message: `${option} expects name=value, got "${pair}"` }))
      : Effect.succeed([pair.slice(0, index), pair.slice(index + 1)] as const)
  }).pipe(Effect.map((entries) => Object.fromEntries(entries)))

export const inspectCommand = (argv: ReadonlyArray<string>, output: Output) =>
  Effect.gen(function* () {
    const { values, positionals } = yield* parseCommandArgs(
      argv,
      {
        json: { type: "boolean" },
        validate: { type: "string" },
        "server-var": { type: "string", multiple: true },
        help: { type: "boolean", short: "h" }
      },
      "inspect"
    )
    if (values.help) {
      output.out(inspectHelp)
      return ExitCode.ok
    }
    const source = positionals[0]
    if (source === undefined || positionals.length > 1) {
      return yield* new UsageError({
        message: "qawave inspect takes exactly one spec file or URL; see qawave inspect --help"
      })
    }
    const validate = values.validate ?? "default"
    if (validate !== "default" && validate !== "strict") {
      return yield* new UsageError({ message: `--validate must be "default" or "strict", got "${validate}"` })
    }
    const serverVariables = yield* parsePairs("--server-var", values["server-var"] ?? [])
    const spec = yield* loadSpec(source, { validate, serverVariables }).pipe(
      Effect.provide(SpecCache.layerMemory({ capacity: 4, ttl: "1 hour" }))
    )
    output.out(values.json ? renderJson(spec) : renderText(spec))
    return spec.operations.some(isUsable) ? ExitCode.ok : ExitCode.usage
  })
