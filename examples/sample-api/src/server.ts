/**
 * Starts the sample pet store API on node:http, with its planted bugs on or off.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { createRequestListener } from "./router.js"
import { Store } from "./store.js"

export interface SampleApiOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number
  /** Interface to listen on; defaults to 127.0.0.1. */
  readonly host?: string
  /** true (the default) switches the planted bugs on; false serves the fixed API. */
  readonly bugs?: boolean
}

export interface SampleApi {
  /** Such as `http://127.0.0.1:4010`, without a trailing slash. */
  readonly baseUrl: string
  /** Stops listening and closes open connections. */
  close(): Promise<void>
}

/** Starts a sample API with fresh in-memory data; resolves once it listens. */
export async function startSampleApi(options: SampleApiOptions = {}): Promise<SampleApi> {
  const host = options.host ?? "127.0.0.1"
  const store = new Store(() => new Date())
  const server = createServer(createRequestListener(store, options.bugs ?? true))

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject)
      resolve()
    })
  })

  const { port } = server.address() as AddressInfo
  const hostInUrl = host.includes(":") ? `[${host}]` : host
  return {
    baseUrl: `http://${hostInUrl}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)))
        server.closeAllConnections()
      })
  }
}
