/**
 * Walks a valid value together with its schema, so negative and boundary cases can change one node
 * at a time. At a `oneOf`/`anyOf`, the walk follows the branch that the node's value matches.
 */
import type { ApiSpec, JsonSchema } from "../../spec/model.js"
import { effectiveSchema } from "./merge.js"
import type { PathToken } from "./request.js"
import { isObject, type SchemaObject } from "./resolve.js"
import { isValid } from "./values.js"

/** One node of a value: where it sits, its value and its flattened schema. */
export interface ValueNode {
  readonly path: ReadonlyArray<PathToken>
  readonly value: unknown
  readonly schema: SchemaObject
}

/** Deepest node the walk visits, and the number of nodes after which it stops. */
const maxWalkDepth = 8
const maxWalkNodes = 200

/** Flattens a node's schema, choosing the `oneOf`/`anyOf` branch its value matches. */
const nodeSchema = (spec: ApiSpec, schema: JsonSchema, value: unknown): SchemaObject | undefined => {
  const flat = effectiveSchema(spec.definitions, schema)
  if (flat === false) return undefined
  const branches = Array.isArray(flat.oneOf) ? flat.oneOf : Array.isArray(flat.anyOf) ? flat.anyOf : undefined
  if (branches === undefined) return flat
  const { oneOf: _oneOf, anyOf: _anyOf, ...siblings } = flat
  for (const branch of branches as ReadonlyArray<JsonSchema>) {
    // The branch alone is validated, since it is a schema of the spec whose validator is compiled once.
    if (isValid(spec, branch, value)) {
      const chosen = effectiveSchema(spec.definitions, { allOf: [siblings, branch] })
      return chosen === false ? undefined : chosen
    }
  }
  return undefined
}

const childSchema = (parent: SchemaObject, token: PathToken): JsonSchema => {
  if (typeof token === "number") {
    const prefix = Array.isArray(parent.prefixItems) ? parent.prefixItems : []
    return (prefix[token] ?? parent.items ?? true) as JsonSchema
  }
  const properties = isObject(parent.properties) ? parent.properties : {}
  return (properties[token] ?? parent.additionalProperties ?? true) as JsonSchema
}

/** Lists the nodes of `value` (the root first, then depth-first), up to a fixed depth and count. */
export const valueNodes = (spec: ApiSpec, schema: JsonSchema, value: unknown): ReadonlyArray<ValueNode> => {
  const out: Array<ValueNode> = []
  const visit = (current: JsonSchema, path: ReadonlyArray<PathToken>, node: unknown): void => {
    if (out.length >= maxWalkNodes || path.length > maxWalkDepth) return
    const flat = nodeSchema(spec, current, node)
    if (flat === undefined) return
    out.push({ path, value: node, schema: flat })
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(childSchema(flat, index), [...path, index], item)
    } else if (isObject(node)) {
      for (const [key, item] of Object.entries(node)) visit(childSchema(flat, key), [...path, key], item)
    }
  }
  visit(schema, [], value)
  return out
}
