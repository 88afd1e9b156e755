/**
 * A real HTTP server on 127.0.0.1, port 0, that records what each request carried on the wire.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"

export interface Received {
  readonly method: string
  /** The request target exactly as sent, such as `/items/a%2Fb?x=1`. */
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: Buffer
}

export type Handler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void

export interface TestServer {
  readonly baseUrl: string
  readonly received: Array<Received>
  /** Resolves when the server has received `count` requests (headers and body). */
  readonly waitForRequests: (count: number) => Promise<void>
}

const respondJson: Handler = (_request, response) => {
  response.writeHead(200, { "content-type": "application/json" })
  response.end(JSON.stringify({ ok: true }))
}

/** Starts a server for the scope. `handler` responds, and by default sends JSON `{"ok":true}`. */
export const startServer = (handler: Handler = respondJson, readBody = true) =>
  Effect.acquireRelease(
    Effect.async<{ server: ReturnType<typeof createServer>; state: TestServer }>((resume) => {
      const received: Array<Received> = []
      const waiters: Array<{ count: number; resolve: () => void }> = []
      const server = createServer((request, response) => {
        if (!readBody) {
          received.push({
            method: request.method ?? "",
            url: request.url ?? "",
            headers: request.headers,
            body: Buffer.alloc(0)
          })
          for (const waiter of waiters) if (received.length >= waiter.count) waiter.resolve()
          handler(request, response, Buffer.alloc(0))
          return
        }
        const chunks: Array<Buffer> = []
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.on("end", () => {
          const body = Buffer.concat(chunks)
          received.push({
            method: request.method ?? "",
            url: request.url ?? "",
            headers: request.headers,
            body
          })
          for (const waiter of waiters) if (received.length >= waiter.count) waiter.resolve()
          handler(request, response, body)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(
          Effect.succeed({
            server,
            state: {
              baseUrl: `http://127.0.0.1:${port}`,
              received,
              waitForRequests: (count) =>
                received.length >= count
                  ? Promise.resolve()
                  : new Promise((resolve) => waiters.push({ count, resolve }))
            }
          })
        )
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))
