/**
 * Routes requests to handlers by method and path template, and writes their replies. A handler that
 * throws gets a 500 reply with the `Error` body.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import { errorReply, type Reply, type RequestContext } from "./http.js"
import * as orders from "./orders.js"
import * as pets from "./pets.js"
import type { Store } from "./store.js"

type Handler = (context: RequestContext) => Reply | Promise<Reply>

interface Route {
  readonly method: string
  /** Path template as in openapi.yaml, such as `/pets/{petId}`. */
  readonly path: string
  readonly handler: Handler
}

/** Concrete paths come before templated ones, as OpenAPI path matching requires. */
const routes: ReadonlyArray<Route> = [
  { method: "GET", path: "/pets", handler: pets.listPets },
  { method: "POST", path: "/pets", handler: pets.createPet },
  { method: "GET", path: "/pets/search", handler: pets.searchPets },
  { method: "GET", path: "/pets/{petId}", handler: pets.getPet },
  { method: "PUT", path: "/pets/{petId}", handler: pets.updatePet },
  { method: "DELETE", path: "/pets/{petId}", handler: pets.deletePet },
  { method: "GET", path: "/orders", handler: orders.listOrders },
  { method: "POST", path: "/orders", handler: orders.createOrder },
  { method: "GET", path: "/orders/{orderId}", handler: orders.getOrder },
  { method: "DELETE", path: "/orders/{orderId}", handler: orders.deleteOrder }
]

/** Maximum request body size in bytes; a larger body is rejected with 413. */
export const MAX_BODY_BYTES = 1024 * 1024

/** Matches a path against a template; returns the decoded parameters, or undefined on no match. */
const matchPath = (template: string, path: string): Record<string, string> | undefined => {
  const templateSegments = template.split("/")
  const pathSegments = path.split("/")
  if (templateSegments.length !== pathSegments.length) return undefined
  const params: Record<string, string> = {}
  for (const [index, templateSegment] of templateSegments.entries()) {
    const segment = pathSegments[index] ?? ""
    const name = /^\{(\w+)\}$/.exec(templateSegment)?.[1]
    if (name === undefined) {
      if (segment !== templateSegment) return undefined
    } else {
      if (segment === "") return undefined
      params[name] = decodeURIComponent(segment)
    }
  }
  return params
}

interface RouteMatch {
  readonly route: Route
  readonly params: Record<string, string>
}

/** Finds the route of a request, or the 404 or 405 reply when there is none. */
const findRoute = (method: string, path: string): RouteMatch | Reply => {
  // A concrete path such as /pets/search hides the templates that also match it.
  const concrete = routes.filter((route) => route.path === path)
  const candidates: Array<RouteMatch> =
    concrete.length > 0
      ? concrete.map((route) => ({ route, params: {} }))
      : routes.flatMap((route) => {
          const params = matchPath(route.path, path)
          return params === undefined ? [] : [{ route, params }]
        })
  const match = candidates.find((candidate) => candidate.route.method === method)
  if (match !== undefined) return match
  if (candidates.length > 0) {
    const allowed = candidates.map((candidate) => candidate.route.method).join(", ")
    return errorReply(405, "method_not_allowed", `${method} is not allowed on ${path}.`, [], {
      Allow: allowed
    })
  }
  return errorReply(404, "not_found", `No route for ${path}.`)
}

/** Reads the whole request body as UTF-8; returns undefined when it exceeds MAX_BODY_BYTES. */
const readBody = async (request: IncomingMessage): Promise<string | undefined> => {
  const chunks: Array<Buffer> = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= MAX_BODY_BYTES) chunks.push(chunk)
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString("utf8") : undefined
}

const writeReply = (response: ServerResponse, reply: Reply): void => {
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value)
  if (reply.body === undefined) {
    response.writeHead(reply.status).end()
    return
  }
  const text = JSON.stringify(reply.body)
  response.setHeader("Content-Type", reply.contentType ?? "application/json")
  response.setHeader("Content-Length", Buffer.byteLength(text))
  response.writeHead(reply.status).end(text)
}

const dispatch = async (request: IncomingMessage, store: Store, bugs: boolean): Promise<Reply> => {
  const method = request.method ?? "GET"
  const url = new URL(request.url ?? "/", "http://sample-api.invalid")
  let found: RouteMatch | Reply
  try {
    found = findRoute(method, url.pathname)
  } catch {
    // decodeURIComponent rejects malformed percent-encoding in a path parameter.
    return errorReply(400, "invalid_request", "The path has malformed percent-encoding.")
  }
  if (!("route" in found)) return found

  const body = await readBody(request)
  if (body === undefined) {
    return errorReply(413, "payload_too_large", `The request body exceeds ${MAX_BODY_BYTES} bytes.`)
  }
  const context: RequestContext = {
    method,
    url,
    headers: request.headers,
    params: found.params,
    body,
    bugs,
    store
  }
  try {
    return await found.route.handler(context)
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return errorReply(500, "internal_error", `The server failed to handle the request: ${reason}`)
  }
}

/** Builds the `request` listener of a node:http server over one store. */
export const createRequestListener =
  (store: Store, bugs: boolean) =>
  (request: IncomingMessage, response: ServerResponse): void => {
    dispatch(request, store, bugs).then(
      (reply) => writeReply(response, reply),
      () => writeReply(response, errorReply(500, "internal_error", "The server failed to read the request."))
    )
  }
