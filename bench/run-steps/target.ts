/**
 * Child process: the minimal target of the throughput and memory measurements. A node:http server on
 * 127.0.0.1 that responds to every request with 200 and a small JSON body, so that the measured cost
 * is the client's. It prints `{"port":N}` on stdout once it listens and stops on SIGTERM.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"

const body = Buffer.from(JSON.stringify({ id: 1, name: "item", status: "ok" }))

const server = createServer((request, response) => {
  // The request body, if any, is drained so that keep-alive connections stay usable.
  request.resume()
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": body.byteLength })
    response.end(body)
  })
})
server.keepAliveTimeout = 60_000

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo
  process.stdout.write(`${JSON.stringify({ port })}\n`)
})

process.once("SIGTERM", () => {
  server.close()
  server.closeAllConnections()
})
