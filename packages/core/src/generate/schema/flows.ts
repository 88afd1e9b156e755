/**
 * Multi-step flows: the links an OpenAPI document declares, and create → read/update/delete flows
 * inferred from a POST on a collection path and the operations on its item path.
 */
import type { Binding, Extraction, Scenario, Step, StepRequest } from "../../scenario/Scenario.js"
import { type ApiSpec, isUsable, type JsonSchema, type Operation } from "../../spec/model.js"
import type { GeneratedScenarios, GenerateOptions, GenerationNote } from "../Generator.js"
import { linkScenarios } from "./links.js"
import { effectiveSchema } from "./merge.js"
import { deriveSeed, makeRandom } from "./random.js"
import { buildRequest, isJsonMediaType, withParameter } from "./request.js"
import { isObject } from "./resolve.js"
import { idCounter, makeStep, needsCredentials, provenance } from "./scenarios.js"

/** Looks up valid requests for flow steps, building each operation's request once. */
export type RequestSource = (operation: Operation) => StepRequest | undefined

const requestSource = (
  spec: ApiSpec,
  options: GenerateOptions,
  notes: Array<GenerationNote>
): RequestSource => {
  const cache = new Map<string, StepRequest | undefined>()
  return (operation) => {
    if (cache.has(operation.id)) return cache.get(operation.id)
    const random = makeRandom(deriveSeed(options.seed, `flow:${operation.id}`))
    const built = buildRequest(spec, operation, random, {
      useExamples: true,
      preferExamples: true,
      optional: "none"
    })
    if (!built.ok)
      notes.push({
        operationId: operation.id,
        message: `flow step skipped: no valid request: ${built.reason}`
      })
    const request = built.ok ? built.request : undefined
    cache.set(operation.id, request)
    return request
  }
}

const singular = (segment: string): string =>
  segment.endsWith("ies")
    ? `${segment.slice(0, -3)}y`
    : segment.endsWith("s")
      ? segment.slice(0, -1)
      : segment

/** Property schemas of an object schema, and of each `oneOf`/`anyOf` branch when it has some. */
const propertyMaps = (spec: ApiSpec, schema: JsonSchema): Array<Record<string, unknown>> => {
  const flat = effectiveSchema(spec.definitions, schema)
  if (flat === false) return []
  const maps = isObject(flat.properties) ? [flat.properties] : []
  for (const keyword of ["oneOf", "anyOf"] as const) {
    const branches = flat[keyword]
    if (!Array.isArray(branches)) continue
    for (const branch of branches) {
      const resolved = effectiveSchema(spec.definitions, branch as JsonSchema)
      if (resolved !== false && isObject(resolved.properties)) maps.push(resolved.properties)
    }
  }
  return maps
}

/**
 * JSON pointer of the identifier in a create operation's 2xx response body, if one is recognizable:
 * a property named like an id at the top level (in any `oneOf`/`anyOf` branch) or under `data`.
 */
const idPointer = (spec: ApiSpec, create: Operation, itemParameter: string): string | undefined => {
  const resource = singular(create.path.split("/").filter(Boolean).pop() ?? "")
  const names = [itemParameter, "id", `${resource}Id`, `${resource}_id`, "uuid", "_id"]
  for (const response of create.responses) {
    if (!response.status.startsWith("2")) continue
    const media = response.content.find((item) => isJsonMediaType(item.mediaType))
    if (media?.schema === undefined) continue
    const maps = propertyMaps(spec, media.schema)
    const direct = names.find((name) => maps.some((properties) => name in properties))
    if (direct !== undefined) return `/${direct}`
    const dataMaps = maps.flatMap((properties) =>
      properties.data === undefined ? [] : propertyMaps(spec, properties.data as JsonSchema)
    )
    const nested = names.find((name) => dataMaps.some((properties) => name in properties))
    if (nested !== undefined) return `/data/${nested}`
  }
  return undefined
}

interface Resource {
  readonly create: Operation
  readonly parameter: string
  readonly pointer: string
  readonly items: ReadonlyMap<string, Operation>
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const findResources = (spec: ApiSpec, usable: ReadonlyArray<Operation>): Array<Resource> => {
  const out: Array<Resource> = []
  for (const create of usable) {
    if (create.method !== "post" || create.path.endsWith("}")) continue
    const itemPath = new RegExp(`^${escapeRegex(create.path.replace(/\/$/, ""))}/\\{([^}]+)\\}$`)
    const items = new Map<string, Operation>()
    let parameter: string | undefined
    for (const operation of usable) {
      const match = itemPath.exec(operation.path)
      if (match === null || !["get", "put", "patch", "delete"].includes(operation.method)) continue
      parameter = match[1]
      if (!items.has(operation.method)) items.set(operation.method, operation)
    }
    if (parameter === undefined) continue
    const pointer = idPointer(spec, create, parameter)
    if (pointer !== undefined) out.push({ create, parameter, pointer, items })
  }
  return out
}

/** The request of an item step: the create step's shared path values, the bound parameter removed. */
const itemRequest = (
  resource: Resource,
  operation: Operation,
  base: StepRequest,
  create: StepRequest
): StepRequest => {
  let request: StepRequest = { ...base, pathParams: { ...base.pathParams } }
  for (const parameter of operation.parameters) {
    if (parameter.in !== "path") continue
    const shared = create.pathParams[parameter.name]
    if (parameter.name === resource.parameter) request = withParameter(request, parameter, undefined)
    else if (shared !== undefined) request = withParameter(request, parameter, shared)
  }
  return request
}

interface FlowPlan {
  readonly rule: string
  readonly description: string
  readonly steps: ReadonlyArray<{
    readonly operation: Operation
    readonly expect: Step["expect"]
    readonly auth?: "none"
    readonly afterDelete?: boolean
  }>
}

const plansFor = (resource: Resource): Array<FlowPlan> => {
  const read = resource.items.get("get")
  const update = resource.items.get("put") ?? resource.items.get("patch")
  const remove = resource.items.get("delete")
  const plans: Array<FlowPlan> = []
  if (read !== undefined) {
    plans.push({
      rule: "flow.create-read",
      description: "create a resource, then read it",
      steps: [{ operation: read, expect: "2xx" }]
    })
  }
  if (read !== undefined && update !== undefined) {
    const steps = [
      { operation: update, expect: "2xx" as const },
      { operation: read, expect: "2xx" as const }
    ]
    plans.push({
      rule: "flow.create-update-read",
      description: "create a resource, update it, then read it",
      steps
    })
  }
  if (read !== undefined && remove !== undefined) {
    const steps = [
      { operation: remove, expect: "2xx" as const },
      { operation: read, expect: "not_found" as const, afterDelete: true }
    ]
    plans.push({
      rule: "flow.create-delete-read",
      description: "create a resource, delete it, then read it",
      steps
    })
  }
  const secured = [read, update, remove].find(
    (operation) => operation !== undefined && needsCredentials(operation)
  )
  if (secured !== undefined) {
    const steps = [{ operation: secured, expect: "auth" as const, auth: "none" as const }]
    plans.push({
      rule: "flow.create-unauthenticated",
      description: `create a resource, then call ${secured.id} without credentials`,
      steps
    })
  }
  return plans
}

const planScenario = (
  resource: Resource,
  plan: FlowPlan,
  id: string,
  requests: RequestSource
): Scenario | undefined => {
  const create = requests(resource.create)
  if (create === undefined) return undefined
  const variable = resource.parameter
  const extract: Array<Extraction> = [{ variable, from: "body", path: resource.pointer }]
  const bind: Array<Binding> = [{ variable, location: "path", target: resource.parameter }]
  const steps: Array<Step> = [makeStep("step-1", resource.create, create, "2xx", { extract })]
  for (const [index, planned] of plan.steps.entries()) {
    const base = requests(planned.operation)
    if (base === undefined) return undefined
    const request = itemRequest(resource, planned.operation, base, create)
    const withAuth = planned.auth === undefined ? request : { ...request, auth: planned.auth }
    const extra = planned.afterDelete === undefined ? { bind } : { bind, afterDelete: planned.afterDelete }
    steps.push(makeStep(`step-${index + 2}`, planned.operation, withAuth, planned.expect, extra))
  }
  const operationIds = [...new Set(steps.map((step) => step.operationId))]
  const origin = provenance(
    plan.rule,
    "flow",
    plan.description,
    `${resource.create.path} -> ${resource.create.path}/{${resource.parameter}}`
  )
  return { id, operationIds, provenance: origin, steps }
}

/** Generates flow scenarios for a spec; at most `maxScenariosPerOperation` start at any one operation. */
export const generateFlows = (spec: ApiSpec, options: GenerateOptions): GeneratedScenarios => {
  const notes: Array<GenerationNote> = []
  const usable = spec.operations.filter(isUsable)
  const requests = requestSource(spec, options, notes)
  const counters = new Map<string, (rule: string) => string>()
  const nextId = (operation: Operation, rule: string): string => {
    const counter = counters.get(operation.id) ?? idCounter(operation.id)
    counters.set(operation.id, counter)
    return counter(rule)
  }
  const all: Array<Scenario> = []
  for (const resource of findResources(spec, usable)) {
    for (const plan of plansFor(resource)) {
      const scenario = planScenario(resource, plan, nextId(resource.create, plan.rule), requests)
      if (scenario !== undefined) all.push(scenario)
    }
  }
  all.push(...linkScenarios(usable, requests, nextId, notes))
  const perFirst = new Map<string, number>()
  const scenarios = all.filter((scenario) => {
    const first = scenario.operationIds[0] ?? ""
    const count = (perFirst.get(first) ?? 0) + 1
    perFirst.set(first, count)
    return count <= options.maxScenariosPerOperation
  })
  for (const [operationId, count] of perFirst) {
    if (count > options.maxScenariosPerOperation) {
      notes.push({
        operationId,
        message: `kept ${options.maxScenariosPerOperation} of ${count} flows (maxScenariosPerOperation)`
      })
    }
  }
  return { scenarios, notes }
}
