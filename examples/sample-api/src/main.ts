/**
 * Starts the sample API on PORT (default 4010) with its planted bugs; BUGS=false serves the fixed API.
 */
import { startSampleApi } from "./server.js"

const port = Number(process.env.PORT ?? "4010")
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid PORT ${JSON.stringify(process.env.PORT)}: use an integer from 0 to 65535.`)
  process.exit(1)
}
const bugs = process.env.BUGS !== "false"
const api = await startSampleApi({ port, bugs })
console.log(`Sample API listening on ${api.baseUrl} (planted bugs ${bugs ? "on" : "off"})`)

const stop = (): void => {
  api.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error("Failed to close the sample API:", error)
      process.exit(1)
    }
  )
}
process.once("SIGINT", stop)
process.once("SIGTERM", stop)
