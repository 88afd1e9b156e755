/**
 * Handlers of `/orders` and `/orders/{orderId}`. Every operation needs the bearer token, except the
 * delete, which needs the admin key.
 */
import { requireAdminKey, requireBearer } from "./auth.js"
import {
  invalidRequest,
  notFound,
  type Reply,
  type RequestContext,
  readJsonBody,
  validationFailed
} from "./http.js"
import { orderSchema, parameterSchemas } from "./schemas.js"
import type { Address, OrderStatus } from "./store.js"
import { parsePathId, parseQuery, type Schema, validateRequestValue } from "./validation.js"

const listQuery = [
  { name: "limit", schema: parameterSchemas.Limit },
  { name: "status", schema: parameterSchemas.OrderStatus }
]

/** The order schema without the quantity maximum: what planted bug 4 validates against. */
const orderSchemaWithoutQuantityMaximum: Schema = {
  ...orderSchema,
  properties: { ...orderSchema.properties, quantity: { type: "integer", minimum: 1 } }
}

/** GET /orders: the first `limit` orders, with the number of matches in `X-Total-Count`. */
export const listOrders = (context: RequestContext): Reply => {
  const denied = requireBearer(context)
  if (denied !== undefined) return denied
  const query = parseQuery(context.url, listQuery)
  if (!query.ok) {
    // Planted bug 2: invalid query parameters get 422, which this operation does not declare.
    return context.bugs ? validationFailed(query.details) : invalidRequest(query.details)
  }
  const { limit, status } = query.values as { limit: number; status?: OrderStatus }

  const matches = [...context.store.orders.values()].filter(
    (order) => status === undefined || order.status === status
  )
  return { status: 200, body: matches.slice(0, limit), headers: { "X-Total-Count": String(matches.length) } }
}

/** POST /orders: places an order for an existing pet; the total is the pet's price times the quantity. */
export const createOrder = (context: RequestContext): Reply => {
  const denied = requireBearer(context)
  if (denied !== undefined) return denied
  const body = readJsonBody(context)
  if (!body.ok) return body.reply
  // Planted bug 4: with bugs on, a quantity above the maximum of 10 passes validation.
  const schema = context.bugs ? orderSchemaWithoutQuantityMaximum : orderSchema
  const details = validateRequestValue(schema, body.value, "body")
  if (details.length > 0) return validationFailed(details)

  // The schema check above guarantees these types; the payment token is checked, then dropped.
  const input = body.value as { petId: number; quantity: number; shipTo: Address; note?: string | null }
  const pet = context.store.pets.get(input.petId)
  if (pet === undefined) {
    return validationFailed([
      {
        location: "body",
        path: "/petId",
        message: `pet ${input.petId} not found; use the id of an existing pet`
      }
    ])
  }
  const order = context.store.addOrder({
    petId: input.petId,
    quantity: input.quantity,
    shipTo: input.shipTo,
    note: input.note ?? null,
    total: Math.round(pet.price * input.quantity * 100) / 100
  })
  return { status: 201, body: order, headers: { Location: `/orders/${order.id}` } }
}

/** GET /orders/{orderId}. */
export const getOrder = (context: RequestContext): Reply => {
  const denied = requireBearer(context)
  if (denied !== undefined) return denied
  const orderId = parsePathId("orderId", context.params.orderId ?? "", parameterSchemas.OrderId)
  if (!orderId.ok) return invalidRequest(orderId.details)
  const order = context.store.orders.get(orderId.id)
  if (order === undefined) return notFound("order", String(orderId.id))

  if (context.bugs) {
    // Planted bug 8: the JSON body goes out labelled as plain text.
    return { status: 200, body: order, contentType: "text/plain; charset=utf-8" }
  }
  return { status: 200, body: order }
}

/** DELETE /orders/{orderId}: removes an order; needs the admin key. */
export const deleteOrder = (context: RequestContext): Reply => {
  const denied = requireAdminKey(context)
  if (denied !== undefined) return denied
  const orderId = parsePathId("orderId", context.params.orderId ?? "", parameterSchemas.OrderId)
  if (!orderId.ok) return invalidRequest(orderId.details)
  if (!context.store.orders.delete(orderId.id)) return notFound("order", String(orderId.id))
  return { status: 204 }
}
