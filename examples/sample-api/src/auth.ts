/**
 * The two security schemes of the spec: a bearer token for writes and an API key for the admin
 * operation. Both credentials are fixed demo values that the spec documents.
 */
import { errorReply, type Reply, type RequestContext } from "./http.js"

export const DEMO_BEARER_TOKEN = "demo-token"
export const DEMO_ADMIN_KEY = "demo-admin"

/** Returns a 401 reply unless the request sends `Authorization: Bearer demo-token`. */
export const requireBearer = (context: RequestContext): Reply | undefined => {
  const header = context.headers.authorization
  if (header === undefined) {
    return errorReply(
      401,
      "unauthorized",
      "The Authorization header is missing; send Bearer demo-token.",
      [],
      {
        "WWW-Authenticate": 'Bearer realm="sample-api"'
      }
    )
  }
  // The scheme name is case-insensitive (RFC 9110, section 11.1).
  const match = /^bearer +(\S+)$/i.exec(header.trim())
  if (match?.[1] !== DEMO_BEARER_TOKEN) {
    return errorReply(401, "unauthorized", "The bearer token is invalid.", [], {
      "WWW-Authenticate": 'Bearer realm="sample-api", error="invalid_token"'
    })
  }
  return undefined
}

/** Returns a 401 reply unless the request sends `X-Admin-Key: demo-admin`. */
export const requireAdminKey = (context: RequestContext): Reply | undefined => {
  const key = context.headers["x-admin-key"]
  if (key === undefined) return errorReply(401, "unauthorized", "The X-Admin-Key header is missing.")
  if (key !== DEMO_ADMIN_KEY) return errorReply(401, "unauthorized", "The X-Admin-Key header is invalid.")
  return undefined
}
