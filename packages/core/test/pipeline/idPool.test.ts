/**
 * Ids of created resources put into the path parameters of later requests.
 */
import { describe, expect, it } from "@effect/vitest"
import type { Exchange } from "../../src/execute/Exchange.js"
import { IdPool, type ScenarioResources } from "../../src/pipeline/idPool.js"
import { applyBindings } from "../../src/pipeline/variables.js"
import type { Scenario, Step, StepRequest } from "../../src/scenario/Scenario.js"
import type { Operation } from "../../src/spec/model.js"

const operation = (id: string, path: string) => ({ id, path }) as unknown as Operation
const createOrg = operation("createOrg", "/orgs")
const createProject = operation("createProject", "/orgs/{orgId}/projects")
const getTask = operation("getTask", "/orgs/{orgId}/projects/{projectId}/tasks/{taskId}")

const created = (status: number): Exchange => ({
  request: { method: "POST", url: "http://127.0.0.1:8080/orgs", headers: {} },
  response: { status, headers: {}, body: "", bodyBytes: 0, truncated: false, elapsedMs: 1 },
  retries: 0,
  rateLimited: false
})

const withPath = (pathParams: Record<string, unknown>): StepRequest => ({
  pathParams,
  query: {},
  headers: {},
  cookies: {},
  auth: "default"
})

const scenario = (source?: string) =>
  ({
    provenance: {
      generator: "schema",
      rule: "r",
      intent: "valid",
      ...(source === undefined ? {} : { source })
    }
  }) as Scenario
const step = (bind: Step["bind"] = []) => ({ bind }) as unknown as Step
const taskRequest = withPath({ orgId: 900, projectId: 901, taskId: 2 })

/** Orgs, and projects under them. */
const orgsAndProjects = [
  { createOperationId: "createOrg", pointer: "/id", itemPath: "/orgs/{orgId}", parameter: "orgId" },
  {
    createOperationId: "createProject",
    pointer: "/id",
    itemPath: "/orgs/{orgId}/projects/{projectId}",
    parameter: "projectId"
  }
]

/** Builds a pool that has learned org 3 and, under it, project 18. */
const pool = () => {
  const ids = new IdPool(orgsAndProjects)
  ids.learn(createOrg, withPath({}), created(201), { value: { id: 3 } })
  ids.learn(createProject, withPath({ orgId: 3 }), created(201), { value: { id: 18 } })
  return ids
}

const fill = (ids: IdPool, source?: string, bind: Step["bind"] = [], used: ScenarioResources = new Map()) =>
  ids.fill(getTask, scenario(source), step(bind), taskRequest, used).pathParams

describe("IdPool", () => {
  it("fills a resource with its parents", () => {
    expect(fill(pool())).toEqual({ orgId: 3, projectId: 18, taskId: 2 })
  })

  it("keeps a tested parameter", () => {
    expect(fill(pool(), "path.projectId")).toEqual({ orgId: 3, projectId: 901, taskId: 2 })
  })

  it("keeps a bound parameter", () => {
    const bound = [{ variable: "parent.projectId", location: "path" as const, target: "projectId" }]
    expect(fill(pool(), undefined, bound)).toEqual({ orgId: 3, projectId: 901, taskId: 2 })
  })

  it("keeps one scenario's resources", () => {
    const ids = pool()
    const used: ScenarioResources = new Map()
    expect(fill(ids, undefined, [], used)).toEqual({ orgId: 3, projectId: 18, taskId: 2 })
    // Another project created meanwhile does not change what the rest of this scenario uses.
    ids.learn(createProject, withPath({ orgId: 5 }), created(201), { value: { id: 40 } })
    expect(fill(ids, undefined, [], used)).toEqual({ orgId: 3, projectId: 18, taskId: 2 })
    expect(fill(ids)).toEqual({ orgId: 5, projectId: 40, taskId: 2 })
  })

  it("lists the creates behind an id", () => {
    const orgCreate = created(201)
    const projectCreate = created(201)
    const ids = new IdPool(orgsAndProjects)
    ids.learn(createOrg, withPath({}), orgCreate, { value: { id: 3 } })
    // The project's create took its org from the pool, so that org's create comes first.
    const creating: ScenarioResources = new Map()
    const projectRequest = ids.fill(createProject, scenario(), step(), withPath({ orgId: 900 }), creating)
    expect(projectRequest.pathParams).toEqual({ orgId: 3 })
    ids.learn(createProject, projectRequest, projectCreate, { value: { id: 18 } }, creating)
    // Another org created later is not behind the project, though the task's path names orgs too.
    ids.learn(createOrg, withPath({}), created(201), { value: { id: 4 } })

    const used: ScenarioResources = new Map()
    expect(fill(ids, undefined, [], used)).toEqual({ orgId: 3, projectId: 18, taskId: 2 })
    expect(IdPool.createsOf(used)).toEqual([orgCreate, projectCreate])
    expect(IdPool.createsOf(used)[0]).toBe(orgCreate)
    expect(IdPool.createsOf(used)[1]).toBe(projectCreate)
    expect(IdPool.createsOf(new Map())).toEqual([])
  })

  it("learns nothing from a failed create", () => {
    const ids = new IdPool([
      { createOperationId: "createOrg", pointer: "/id", itemPath: "/orgs/{orgId}", parameter: "orgId" }
    ])
    ids.learn(createOrg, withPath({}), created(400), { value: { id: 7 } })
    ids.learn(createOrg, withPath({}), created(201), { value: { name: "no id" } })
    expect(fill(ids)).toEqual(taskRequest.pathParams)
  })
})

describe("applyBindings", () => {
  it("binds the last segment of a Location", () => {
    const bindings = [{ variable: "id", location: "path" as const, target: "noteId" }]
    for (const location of ["/notes/7f3a", "http://127.0.0.1:8080/api/notes/7f3a?x=1", "/notes/7f3a/"]) {
      expect(applyBindings(withPath({}), bindings, { id: location }).pathParams).toEqual({ noteId: "7f3a" })
    }
    expect(applyBindings(withPath({}), bindings, { id: 42 }).pathParams).toEqual({ noteId: 42 })
  })
})
