#!/usr/bin/env node
import { main } from "./cli/main.js"
import { processOutput } from "./cli/output.js"
import { applyHeapPolicy } from "./heap.js"

applyHeapPolicy()

// A reader that stops early (`qawave run … | head`) closes the pipe. Output is then dropped instead of
// failing the process with EPIPE, so the exit code still reports how the run ended.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error
  })
}

main(process.argv.slice(2), processOutput).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(
      `qawave: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
    )
    process.exitCode = 3
  }
)
