/**
 * Multi-step flows: the links an OpenAPI document declares, and create → read/update/delete flows
 * inferred from a POST on a collection path and the operations on its item path. A resource nested
 * under another one's item path (`/projects/{projectId}/tasks`) creates its parent first, so its
 * requests name a parent that exists.
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
import { distinctTag, withDistinctKeys } from "./unique.js"

/**
 * Looks up valid requests for flow steps, building each operation's request once. With a scenario
 * id, a POST's request gets key values of that scenario's own (see `withDistinctKeys`), so that the
 * resource it creates does not collide with another flow's.
 */
export type RequestSource = (operation: Operation, scenarioId?: string) => StepRequest | undefined

const requestSource = (
  spec: ApiSpec,
  options: GenerateOptions,
  notes: Array<GenerationNote>
): RequestSource => {
  const cache = new Map<string, StepRequest | undefined>()
  const shared = (operation: Operation): StepRequest | undefined => {
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
  return (operation, scenarioId) => {
    const request = shared(operation)
    if (request === undefined || scenarioId === undefined || operation.method !== "post") return request
    return withDistinctKeys(spec, operation, request, distinctTag(options.seed, scenarioId))
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

/** Returns the item path of a resource, such as `/projects/{projectId}`. */
const itemPathOf = (resource: Resource): string =>
  `${resource.create.path.replace(/\/$/, "")}/{${resource.parameter}}`

/** Finds the resource whose item path the operation's path lies under, the innermost when several do. */
const parentOf = (path: string, resources: ReadonlyArray<Resource>): Resource | undefined => {
  let parent: Resource | undefined
  for (const candidate of resources) {
    const prefix = `${itemPathOf(candidate)}/`
    if (path.startsWith(prefix) && (parent === undefined || prefix.length > itemPathOf(parent).length + 1))
      parent = candidate
  }
  return parent
}

/** Builds the first step of a flow under a parent, which creates the parent and keeps its id for the later steps. */
const parentStep = (parent: Resource, requests: RequestSource, scenarioId: string) => {
  const request = requests(parent.create, `${scenarioId}:parent`)
  if (request === undefined) return undefined
  const variable = `parent.${parent.parameter}`
  const extract: Array<Extraction> = [{ variable, from: "body", path: parent.pointer }]
  const bind: Binding = { variable, location: "path", target: parent.parameter }
  return { step: makeStep("step-1", parent.create, request, "2xx", { extract }), bind }
}

/** Removes a bound path parameter from a request, since the binding gives its value. */
const withoutPathValue = (operation: Operation, request: StepRequest, name: string): StepRequest => {
  const parameter = operation.parameters.find((item) => item.in === "path" && item.name === name)
  return parameter === undefined ? request : withParameter(request, parameter, undefined)
}

const planScenario = (
  resource: Resource,
  plan: FlowPlan,
  id: string,
  requests: RequestSource,
  parent: Resource | undefined
): Scenario | undefined => {
  const created = requests(resource.create, id)
  if (created === undefined) return undefined
  const first = parent === undefined ? undefined : parentStep(parent, requests, id)
  if (parent !== undefined && first === undefined) return undefined
  const parentBind = first === undefined ? [] : [first.bind]
  const create = parent === undefined ? created : withoutPathValue(resource.create, created, parent.parameter)
  const offset = first === undefined ? 1 : 2
  const variable = resource.parameter
  const extract: Array<Extraction> = [{ variable, from: "body", path: resource.pointer }]
  const bind: Array<Binding> = [...parentBind, { variable, location: "path", target: resource.parameter }]
  const steps: Array<Step> = [
    ...(first === undefined ? [] : [first.step]),
    makeStep(`step-${offset}`, resource.create, create, "2xx", { extract, bind: parentBind })
  ]
  for (const [index, planned] of plan.steps.entries()) {
    const base = requests(planned.operation)
    if (base === undefined) return undefined
    const shared = itemRequest(resource, planned.operation, base, create)
    const request =
      parent === undefined ? shared : withoutPathValue(planned.operation, shared, parent.parameter)
    const withAuth = planned.auth === undefined ? request : { ...request, auth: planned.auth }
    const extra = planned.afterDelete === undefined ? { bind } : { bind, afterDelete: planned.afterDelete }
    steps.push(makeStep(`step-${index + offset + 1}`, planned.operation, withAuth, planned.expect, extra))
  }
  const operationIds = [...new Set(steps.map((step) => step.operationId))]
  const origin = provenance(
    plan.rule,
    "flow",
    parent === undefined
      ? plan.description
      : `create a parent with ${parent.create.id}, then ${plan.description}`,
    `${resource.create.path} -> ${itemPathOf(resource)}`
  )
  return { id, operationIds, provenance: origin, steps }
}

/**
 * Builds flows that create a parent, then call an operation under its item path that no flow of a
 * nested resource covers, such as the list of the parent's children. A DELETE is left out, since it
 * would remove what other scenarios use.
 */
const childScenarios = (
  resources: ReadonlyArray<Resource>,
  usable: ReadonlyArray<Operation>,
  requests: RequestSource,
  nextId: (operation: Operation, rule: string) => string
): Array<Scenario> => {
  const covered = new Set(
    resources.flatMap((resource) => [
      resource.create.id,
      ...[...resource.items.values()].map((item) => item.id)
    ])
  )
  const out: Array<Scenario> = []
  for (const operation of usable) {
    if (covered.has(operation.id) || operation.method === "delete") continue
    const parent = parentOf(operation.path, resources)
    if (parent === undefined) continue
    const id = nextId(parent.create, "flow.create-parent-call")
    const first = parentStep(parent, requests, id)
    const base = requests(operation)
    if (first === undefined || base === undefined) continue
    const request = withoutPathValue(operation, base, parent.parameter)
    const steps = [first.step, makeStep("step-2", operation, request, "2xx", { bind: [first.bind] })]
    const origin = provenance(
      "flow.create-parent-call",
      "flow",
      `create a parent with ${parent.create.id}, then call ${operation.id} under it`,
      `${parent.create.path} -> ${operation.path}`
    )
    out.push({
      id,
      operationIds: [parent.create.id, operation.id],
      provenance: origin,
      steps
    })
  }
  return out
}

/** A resource the flows infer: the POST that creates it, where its id is, and its item path. */
export interface InferredResource {
  readonly createOperationId: string
  /** JSON pointer of the id in the create operation's 2xx response body, such as `/id`. */
  readonly pointer: string
  /** The item path, such as `/projects/{projectId}`. */
  readonly itemPath: string
  readonly parameter: string
}

/** Lists the resources of a spec that create flows are inferred for. */
export const inferResources = (spec: ApiSpec): ReadonlyArray<InferredResource> =>
  findResources(spec, spec.operations.filter(isUsable)).map((resource) => ({
    createOperationId: resource.create.id,
    pointer: resource.pointer,
    itemPath: itemPathOf(resource),
    parameter: resource.parameter
  }))

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
  const resources = findResources(spec, usable)
  for (const resource of resources) {
    const parent = parentOf(resource.create.path, resources)
    for (const plan of plansFor(resource)) {
      const scenario = planScenario(resource, plan, nextId(resource.create, plan.rule), requests, parent)
      if (scenario !== undefined) all.push(scenario)
    }
  }
  all.push(...childScenarios(resources, usable, requests, nextId))
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
