/**
 * Distinct key values for the resources that flows create. Many APIs refuse a second resource with
 * the same email, username or name (409 Conflict). Every flow would otherwise send the example values
 * that the single-step create already sent, stop at 409 and test nothing after it. So each flow's
 * create gets its own tag in the string properties whose names suggest such a key.
 */
import type { RequestBodyValue, StepRequest } from "../../scenario/Scenario.js"
import type { ApiSpec, Operation } from "../../spec/model.js"
import { deriveSeed } from "./random.js"
import { isJsonMediaType, pickMediaType, setAtPath, withBody } from "./request.js"
import { isValid } from "./values.js"
import { valueNodes } from "./walk.js"

// Property names, lowercase without `_` and `-`, that commonly carry a unique constraint.
const keyNames = new Set([
  "email",
  "emailaddress",
  "username",
  "login",
  "handle",
  "slug",
  "name",
  "displayname",
  "nickname",
  "title",
  "code",
  "sku",
  "key"
])

const isKeyName = (name: string): boolean => keyNames.has(name.toLowerCase().replace(/[-_]/g, ""))

/** Adds `tag` to a key value: before the `@` of an email, at the end of anything else. */
const tagged = (value: string, tag: string, format: unknown): string => {
  const at = value.lastIndexOf("@")
  if ((format === "email" || format === "idn-email") && at > 0)
    return `${value.slice(0, at)}.${tag}${value.slice(at)}`
  return `${value}-${tag}`
}

/** Returns a short tag of lowercase letters and digits, the same for the same seed and label. */
export const distinctTag = (seed: number, label: string): string =>
  deriveSeed(seed, `distinct:${label}`).toString(36).padStart(6, "0").slice(-6)

/**
 * Returns `request` with `tag` added to each string property of its JSON or form body whose name
 * suggests a unique key (email, username, name, slug and the like). A property keeps its value when
 * it has an `enum`, `const` or a format other than email, or when the tagged body would no longer
 * be valid for the schema (a pattern or `maxLength`, say).
 */
export const withDistinctKeys = (
  spec: ApiSpec,
  operation: Operation,
  request: StepRequest,
  tag: string
): StepRequest => {
  const body: RequestBodyValue | undefined = request.body
  const media = operation.requestBody === undefined ? undefined : pickMediaType(operation.requestBody)
  if (body === undefined || media?.schema === undefined || typeof body.value !== "object") return request
  const json = isJsonMediaType(media.mediaType)
  if (!json && media.mediaType !== "application/x-www-form-urlencoded") return request
  let value: unknown = body.value
  for (const node of valueNodes(spec, media.schema, body.value)) {
    const name = node.path.at(-1)
    if (typeof name !== "string" || typeof node.value !== "string" || !isKeyName(name)) continue
    const { schema } = node
    if (schema.enum !== undefined || schema.const !== undefined) continue
    if (schema.format !== undefined && schema.format !== "email" && schema.format !== "idn-email") continue
    const candidate = setAtPath(value, node.path, tagged(node.value, tag, schema.format))
    if (isValid(spec, media.schema, candidate)) value = candidate
  }
  return value === body.value ? request : withBody(request, { ...body, value })
}
