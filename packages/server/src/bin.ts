#!/usr/bin/env node
import { main } from "./cli/main.js"
import { processOutput } from "./cli/output.js"
import { applyHeapPolicy } from "./heap.js"

applyHeapPolicy()

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
