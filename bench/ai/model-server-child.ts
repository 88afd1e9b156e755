/**
 * Runs the local model server in a child process for the throughput benchmark, with
 * `exactScenariosScript` as its model. The server takes the place of a remote provider, so its CPU
 * time must not take turns with the generator's event loop. Prints the base URL as one line, then serves until stdin
 * closes or the parent ends the process.
 */
import { startModelServer } from "@qawave/core/model-server"
import { exactScenariosScript } from "./spec.js"

const [latencyText, scenariosText] = process.argv.slice(2)
const latencyMs = Number(latencyText)
const scenariosPerCall = Number(scenariosText)
if (!Number.isInteger(latencyMs) || !Number.isInteger(scenariosPerCall) || scenariosPerCall < 1) {
  console.error(
    `usage: model-server-child.ts <latencyMs> <scenariosPerCall>, got ${process.argv.slice(2).join(" ")}`
  )
  process.exit(2)
}

const server = await startModelServer({ port: 0, latencyMs, script: exactScenariosScript(scenariosPerCall) })
process.stdout.write(`${server.baseUrl}\n`)

const stop = async () => {
  await server.close()
  process.exit(0)
}
process.stdin.on("end", () => void stop())
process.stdin.resume()
process.once("SIGTERM", () => void stop())
