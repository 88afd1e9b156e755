/**
 * The schemas of openapi.yaml as the server validates them. They mirror `components/schemas` and
 * `components/parameters` keyword for keyword; the tests compare both so that they cannot drift apart.
 */
import type { Schema } from "./validation.js"

export const LIMIT_MAXIMUM = 100
export const ORDER_QUANTITY_MAXIMUM = 10

const id: Schema = { type: "integer", minimum: 1, readOnly: true }
const createdAt: Schema = { type: "string", format: "date-time", readOnly: true }

export const petStatusSchema: Schema = { type: "string", enum: ["available", "pending", "sold"] }
export const petKindSchema: Schema = { type: "string", enum: ["cat", "dog"] }
export const orderStatusSchema: Schema = { type: "string", enum: ["placed", "approved", "delivered"] }

/** Properties that cats and dogs share. */
const petProperties: Readonly<Record<string, Schema>> = {
  id,
  name: { type: "string", minLength: 1, maxLength: 40 },
  price: { type: "number", minimum: 0, maximum: 10000 },
  status: { ...petStatusSchema, default: "available" },
  tags: {
    type: "array",
    items: { type: "string", minLength: 1, maxLength: 20 },
    maxItems: 5,
    uniqueItems: true
  },
  notes: { type: ["string", "null"], maxLength: 200 },
  createdAt
}

export const catSchema: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["id", "kind", "name", "price"],
  properties: {
    ...petProperties,
    kind: { type: "string", const: "cat" },
    indoor: { type: "boolean" }
  }
}

export const dogSchema: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["id", "kind", "name", "price"],
  properties: {
    ...petProperties,
    kind: { type: "string", const: "dog" },
    breed: { type: "string", minLength: 1, maxLength: 40 },
    goodWithChildren: { type: "boolean" }
  }
}

export const petSchema: Schema = {
  oneOf: [catSchema, dogSchema],
  discriminator: {
    propertyName: "kind",
    mapping: { cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog" }
  }
}

export const addressSchema: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "street", "city", "postalCode", "country"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 60 },
    street: { type: "string", minLength: 1, maxLength: 100 },
    city: { type: "string", minLength: 1, maxLength: 60 },
    postalCode: { type: "string", pattern: "^[0-9]{5}$" },
    country: { type: "string", enum: ["DE", "FR", "GB", "US"] }
  }
}

export const orderSchema: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["id", "petId", "quantity", "shipTo", "paymentToken", "status", "total", "createdAt"],
  properties: {
    id,
    petId: { type: "integer", minimum: 1 },
    quantity: { type: "integer", minimum: 1, maximum: ORDER_QUANTITY_MAXIMUM },
    shipTo: addressSchema,
    paymentToken: { type: "string", pattern: "^tok_[A-Za-z0-9]{8,24}$", writeOnly: true },
    note: { type: ["string", "null"], maxLength: 200 },
    status: { ...orderStatusSchema, readOnly: true },
    total: { type: "number", minimum: 0, readOnly: true },
    createdAt
  }
}

/** Query and path parameters, by their key under `components/parameters`. */
export const parameterSchemas = {
  PetId: { type: "integer", minimum: 1 },
  OrderId: { type: "integer", minimum: 1 },
  Limit: { type: "integer", minimum: 1, maximum: LIMIT_MAXIMUM, default: 20 },
  Offset: { type: "integer", minimum: 0, default: 0 },
  PetStatus: petStatusSchema,
  PetKind: petKindSchema,
  Tags: {
    type: "array",
    items: { type: "string", minLength: 1, maxLength: 20 },
    maxItems: 5
  },
  SearchText: { type: "string", minLength: 1, maxLength: 40 },
  OrderStatus: orderStatusSchema
} satisfies Record<string, Schema>
