/** A real HTTP server on 127.0.0.1 port 0 and a client that records an `Exchange` from its response. */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"
import type { Exchange } from "../../src/execute/Exchange.js"

/** Starts a server for the scope and returns its base URL. */
export const startServer = (handler: http.RequestListener) =>
  Effect.acquireRelease(
    Effect.async<{ readonly baseUrl: string; readonly server: http.Server }>((resume) => {
      const server = http.createServer(handler)
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ baseUrl: `http://127.0.0.1:${port}`, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

export interface SendOptions {
  readonly method?: string
  readonly path?: string
  readonly headers?: Record<string, string>
  readonly json?: unknown
  /** Aborts the request after this many milliseconds and records a `timeout` failure. */
  readonly timeoutMs?: number
}

/** Sends one request with the global fetch and records it as the executor would. */
export const send = (baseUrl: string, options: SendOptions = {}): Effect.Effect<Exchange> =>
  Effect.promise(async () => {
    const method = options.method ?? "GET"
    const url = `${baseUrl}${options.path ?? "/items/1"}`
    const headers: Record<string, string> = { ...(options.headers ?? {}) }
    const body = options.json === undefined ? undefined : JSON.stringify(options.json)
    if (body !== undefined) headers["content-type"] = "application/json"
    const request = { method, url, headers, ...(body === undefined ? {} : { body }) }
    const started = performance.now()
    try {
      const fetched = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) })
      })
      const text = await fetched.text()
      const elapsedMs = Math.round(performance.now() - started)
      const responseHeaders: Record<string, string> = {}
      fetched.headers.forEach((value, name) => {
        responseHeaders[name] = value
      })
      return {
        request,
        response: {
          status: fetched.status,
          headers: responseHeaders,
          body: text,
          bodyBytes: Buffer.byteLength(text),
          truncated: false,
          elapsedMs
        },
        retries: 0,
        rateLimited: false
      }
    } catch (error) {
      const elapsedMs = Math.round(performance.now() - started)
      const timedOut = error instanceof Error && error.name === "TimeoutError"
      return {
        request,
        failure: { kind: timedOut ? "timeout" : "network", message: String(error), elapsedMs },
        retries: 0,
        rateLimited: false
      }
    }
  })

/** Writes a JSON response. */
export const json = (
  res: http.ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {}
) => {
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(JSON.stringify(value))
}

/** Reads a request body as JSON; undefined when it is not JSON. */
export const readJson = (req: http.IncomingMessage): Promise<unknown> =>
  new Promise((resolve) => {
    let text = ""
    req.setEncoding("utf8")
    req.on("data", (chunk: string) => {
      text += chunk
    })
    req.on("end", () => {
      try {
        resolve(JSON.parse(text))
      } catch {
        resolve(undefined)
      }
    })
  })
