/**
 * Child process: the sample API with its planted bugs, behind a counting proxy. Both listen on
 * 127.0.0.1. It prints `{"url": <proxy URL>}` once both listen; on SIGTERM it prints
 * `{"requests": N}`, the number of requests the proxy forwarded, and exits.
 */
import { Agent, createServer, request as forward } from "node:http"
import type { AddressInfo } from "node:net"
import { startSampleApi } from "@qawave/example-sample-api/src/server.js"

const api = await startSampleApi({ port: 0, bugs: true })
const upstream = new URL(api.baseUrl)
const agent = new Agent({ keepAlive: true })
let requests = 0

const proxy = createServer((incoming, outgoing) => {
  requests++
  const proxied = forward(
    {
      agent,
      host: upstream.hostname,
      port: upstream.port,
      method: incoming.method,
      path: incoming.url,
      headers: incoming.headers
    },
    (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers)
      response.pipe(outgoing)
    }
  )
  proxied.on("error", (error) => {
    outgoing.writeHead(502, { "content-type": "text/plain" })
    outgoing.end(`counting proxy: ${error.message}`)
  })
  incoming.pipe(proxied)
})

await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve))
const { port } = proxy.address() as AddressInfo
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`)

process.once("SIGTERM", () => {
  process.stdout.write(`${JSON.stringify({ requests })}\n`)
  proxy.close()
  proxy.closeAllConnections()
  agent.destroy()
  void api.close().finally(() => process.exit(0))
})
