/**
 * The request that negative and boundary cases start from: every optional value filled, with the
 * spec's examples laid over the generated values. Examples make identifiers name resources that
 * exist; the generated values give each optional field its own cases.
 */
import type { StepRequest } from "../../scenario/Scenario.js"
import type { ApiSpec, Operation } from "../../spec/model.js"
import type { Random } from "./random.js"
import { buildRequest, pickMediaType } from "./request.js"
import { isObject } from "./resolve.js"
import { isValid } from "./values.js"

/** Lays `over` onto `under`: objects merge key by key, any other value of `over` wins. */
const overlay = (under: unknown, over: unknown): unknown => {
  if (!isObject(under) || !isObject(over) || Array.isArray(under) || Array.isArray(over)) return over
  const merged: Record<string, unknown> = { ...under }
  for (const [key, value] of Object.entries(over)) merged[key] = overlay(under[key], value)
  return merged
}

export interface CaseBase {
  readonly request: StepRequest
  readonly values: "examples" | "generated"
}

/** Builds the case base, or undefined when no valid request with every optional value can be built. */
export const caseBase = (spec: ApiSpec, operation: Operation, random: Random): CaseBase | undefined => {
  const generated = buildRequest(spec, operation, random.fork("case.base"), {
    useExamples: false,
    preferExamples: false,
    optional: "all"
  })
  const examples = buildRequest(spec, operation, random.fork("case.base"), {
    useExamples: true,
    preferExamples: true,
    optional: "all"
  })
  if (!examples.ok) return generated.ok ? { request: generated.request, values: "generated" } : undefined
  const values = examples.fromExamples ? "examples" : "generated"
  if (!generated.ok) return { request: examples.request, values }
  const merged: StepRequest = {
    ...examples.request,
    pathParams: { ...generated.request.pathParams, ...examples.request.pathParams },
    query: { ...generated.request.query, ...examples.request.query },
    headers: { ...generated.request.headers, ...examples.request.headers },
    cookies: { ...generated.request.cookies, ...examples.request.cookies }
  }
  const body = examples.request.body
  const media = operation.requestBody === undefined ? undefined : pickMediaType(operation.requestBody)
  if (body === undefined || generated.request.body === undefined || media?.schema === undefined) {
    return { request: merged, values }
  }
  // A merged body can mix branches of a `oneOf`; it is used only when it still validates.
  const mergedBody = overlay(generated.request.body.value, body.value)
  const valid = body.mediaType === generated.request.body.mediaType && isValid(spec, media.schema, mergedBody)
  return { request: valid ? { ...merged, body: { ...body, value: mergedBody } } : merged, values }
}
