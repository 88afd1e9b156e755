import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"
import {
  type ApiSpec,
  type LoadSpecOptions,
  loadSpec,
  type Operation,
  SpecCache,
  type SpecSource
} from "../../src/spec/index.js"

/** Loads a source with a fresh in-memory cache. */
export const load = (source: SpecSource, options?: LoadSpecOptions): Effect.Effect<ApiSpec, unknown> =>
  loadSpec(source, options).pipe(Effect.provide(SpecCache.layerMemory({ capacity: 8, ttl: "1 hour" })))

/** Loads an in-memory document. */
export const loadDoc = (document: object, options?: LoadSpecOptions): Effect.Effect<ApiSpec, unknown> =>
  load({ document }, options)

/** The operation with the given id; fails the test when it is missing. */
export const op = (spec: ApiSpec, id: string): Operation => {
  const found = spec.operations.find((operation) => operation.id === id)
  if (found === undefined)
    throw new Error(`no operation ${id}; have ${spec.operations.map((o) => o.id).join(", ")}`)
  return found
}

/** The definition a `{ $ref: "#/$defs/<key>" }` schema names. */
export const deref = (spec: ApiSpec, schema: unknown): Record<string, unknown> => {
  const ref = (schema as { $ref?: string }).$ref
  if (ref === undefined) throw new Error(`not a reference: ${JSON.stringify(schema)}`)
  return spec.definitions.get(ref.slice("#/$defs/".length)) as Record<string, unknown>
}

/** Starts a server on 127.0.0.1 that answers each path with the given body; closes when the scope ends. */
export const serve = (
  routes: Readonly<Record<string, { status?: number; body?: string; location?: string; type?: string }>>
) =>
  Effect.acquireRelease(
    Effect.async<Server & { url: string }>((resume) => {
      const server = createServer((request, response) => {
        const route = routes[request.url ?? ""]
        if (route === undefined) {
          response.writeHead(404).end("missing")
          return
        }
        const headers: Record<string, string> = { "content-type": route.type ?? "application/json" }
        if (route.location !== undefined) headers.location = route.location
        response.writeHead(route.status ?? 200, headers).end(route.body ?? "")
      })
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as AddressInfo).port
        resume(Effect.succeed(Object.assign(server, { url: `http://127.0.0.1:${port}` })))
      })
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
      })
  )
