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

/** A path parameter of an operation that names a resource, with the resource's item path. */
interface NamedResource {
  readonly parameter: string
  readonly itemPath: string
}

export class IdPool {
  readonly #byCreate: ReadonlyMap<string, InferredResource>
  readonly #resources: ReadonlyArray<InferredResource>
  readonly #ids = new Map<string, string | number>()
  readonly #named = new WeakMap<Operation, ReadonlyArray<NamedResource>>()

  constructor(resources: ReadonlyArray<InferredResource>) {
    this.#resources = resources
    this.#byCreate = new Map(resources.map((resource) => [resource.createOperationId, resource]))
  }

  /** Keeps the id in a create operation's 2xx response, when it is a string or a number. */
  learn(operation: Operation, exchange: Exchange, body: { readonly value: unknown } | undefined): void {
    const resource = this.#byCreate.get(operation.id)
    const status = exchange.response?.status ?? 0
    if (resource === undefined || body === undefined || status < 200 || status > 299) return
    const id = readPointer(body.value, resource.pointer)
    if (typeof id === "string" || typeof id === "number") this.#ids.set(resource.itemPath, id)
  }

  /**
   * Returns the step's request with each path parameter that names a resource set to an id the run
   * created. A parameter the scenario tests (a negative or boundary case on it) or a step binds keeps
   * its value.
   */
  fill(operation: Operation, scenario: Scenario, step: Step, request: StepRequest): StepRequest {
    if (this.#ids.size === 0) return request
    let pathParams: Record<string, unknown> | undefined
    for (const { parameter, itemPath } of this.#namedBy(operation)) {
      const id = this.#ids.get(itemPath)
      if (id === undefined || scenario.provenance.source === `path.${parameter}`) continue
      if (step.bind.some((binding) => binding.location === "path" && binding.target === parameter)) continue
      pathParams ??= { ...request.pathParams }
      pathParams[parameter] = id
    }
    return pathParams === undefined ? request : { ...request, pathParams }
  }

  /** Lists the path parameters of an operation that name a resource: its path starts with their item path. */
  #namedBy(operation: Operation): ReadonlyArray<NamedResource> {
    const known = this.#named.get(operation)
    if (known !== undefined) return known
    const named = this.#resources
      .filter(
        (resource) =>
          operation.path === resource.itemPath || operation.path.startsWith(`${resource.itemPath}/`)
      )
      .map((resource) => ({ parameter: resource.parameter, itemPath: resource.itemPath }))
    this.#named.set(operation, named)
    return named
  }
}
