/**
 * Ids of resources the run created, for single-step requests whose path names a resource. A generated
 * id mostly names nothing, so such a request stops at 404 before the code under test. The id of a
 * resource an earlier step created reaches that code.
 */
import type { Exchange } from "../execute/Exchange.js"
import type { InferredResource } from "../generate/schema/flows.js"
import type { Scenario, Step, StepRequest } from "../scenario/Scenario.js"
import type { Operation } from "../spec/model.js"
import { readPointer } from "./variables.js"

/**
 * A created resource as path values: its own id and the values of the parent path parameters it was
 * created under, such as `{ orgId: 3, projectId: 18 }`, so that they are used together.
 */
export type CreatedResource = Readonly<Record<string, string | number>>

/** A created resource with the create exchanges that made it: its parents' first, its own last. */
export interface PooledResource {
  readonly values: CreatedResource
  readonly creates: ReadonlyArray<Exchange>
}

/** The resources one scenario has used, by item path, so that all its steps name the same ones. */
export type ScenarioResources = Map<string, PooledResource>

const noExchanges: ReadonlyArray<Exchange> = []

export class IdPool {
  readonly #byCreate: ReadonlyMap<string, InferredResource>
  readonly #resources: ReadonlyArray<InferredResource>
  readonly #latest = new Map<string, PooledResource>()
  readonly #named = new WeakMap<Operation, ReadonlyArray<InferredResource>>()

  constructor(resources: ReadonlyArray<InferredResource>) {
    this.#resources = resources
    this.#byCreate = new Map(resources.map((resource) => [resource.createOperationId, resource]))
  }

  /**
   * Keeps the resource a create operation's 2xx response names: the id in its body, when it is a string
   * or a number, with the path values of the request that created it. `used` gives the resources of
   * the creating scenario, whose creates come before this one in the record.
   */
  learn(
    operation: Operation,
    request: StepRequest,
    exchange: Exchange,
    body: { readonly value: unknown } | undefined,
    used?: ScenarioResources
  ): void {
    const resource = this.#byCreate.get(operation.id)
    const status = exchange.response?.status ?? 0
    if (resource === undefined || body === undefined || status < 200 || status > 299) return
    const id = readPointer(body.value, resource.pointer)
    if (typeof id !== "string" && typeof id !== "number") return
    const values: Record<string, string | number> = {}
    for (const [name, value] of Object.entries(request.pathParams))
      if (typeof value === "string" || typeof value === "number") values[name] = value
    values[resource.parameter] = id
    const creates = used === undefined ? [exchange] : [...IdPool.createsOf(used), exchange]
    this.#latest.set(resource.itemPath, { values, creates })
  }

  /** Lists the create exchanges of a scenario's resources, parents first, each once. */
  static createsOf(used: ScenarioResources): ReadonlyArray<Exchange> {
    if (used.size === 0) return noExchanges
    const creates = new Set<Exchange>()
    for (const resource of used.values()) for (const create of resource.creates) creates.add(create)
    return [...creates]
  }

  /**
   * Returns the step's request with each path parameter that names a created resource set to that
   * resource's value. The innermost resource comes first and brings its parents' values with it. A
   * parameter the scenario tests (a negative or boundary case on it) or the step binds keeps its value,
   * and a resource one step of the scenario used is used by its later steps too.
   */
  fill(
    operation: Operation,
    scenario: Scenario,
    step: Step,
    request: StepRequest,
    used: ScenarioResources
  ): StepRequest {
    if (this.#latest.size === 0 && used.size === 0) return request
    const settled = new Set<string>()
    for (const binding of step.bind) if (binding.location === "path") settled.add(binding.target)
    const tested = scenario.provenance.source
    if (tested?.startsWith("path.")) settled.add(tested.slice("path.".length))
    let pathParams: Record<string, unknown> | undefined
    for (const resource of this.#namedBy(operation)) {
      if (settled.has(resource.parameter)) continue
      const pooled = used.get(resource.itemPath) ?? this.#latest.get(resource.itemPath)
      if (pooled === undefined) continue
      let applied = false
      for (const [name, value] of Object.entries(pooled.values)) {
        if (settled.has(name) || !(name in request.pathParams)) continue
        pathParams ??= { ...request.pathParams }
        pathParams[name] = value
        settled.add(name)
        applied = true
      }
      // Only a resource whose values the request took counts as used, so its creates are the ones the
      // record lists before this request.
      if (applied) used.set(resource.itemPath, pooled)
    }
    return pathParams === undefined ? request : { ...request, pathParams }
  }

  /** Lists the resources an operation's path names, the innermost first. */
  #namedBy(operation: Operation): ReadonlyArray<InferredResource> {
    const known = this.#named.get(operation)
    if (known !== undefined) return known
    const named = this.#resources
      .filter(
        (resource) =>
          operation.path === resource.itemPath || operation.path.startsWith(`${resource.itemPath}/`)
      )
      .sort((left, right) => right.itemPath.length - left.itemPath.length)
    this.#named.set(operation, named)
    return named
  }
}
