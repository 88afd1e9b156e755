/**
 * Flows from OpenAPI links: the source operation's response provides values (runtime expressions such
 * as `$response.body#/id`) that the next step binds into the target operation's parameters.
 */
import type { Binding, Extraction, Scenario, StepRequest } from "../../scenario/Scenario.js"
import type { Link, Operation, Parameter } from "../../spec/model.js"
import type { GenerationNote } from "../Generator.js"
import type { RequestSource } from "./flows.js"
import { bagOf, pickMediaType, withBody, withParameter } from "./request.js"
import { makeStep, provenance } from "./scenarios.js"

interface Wiring {
  readonly extract: Array<Extraction>
  readonly bind: Array<Binding>
  request: StepRequest
  readonly skipped: Array<string>
}

/** Finds a link parameter's target: `path.petId` names the location, a bare `petId` takes the first match. */
const findParameter = (operation: Operation, key: string): Parameter | undefined => {
  const dot = key.indexOf(".")
  const location = dot > 0 ? key.slice(0, dot) : undefined
  if (location !== undefined && ["path", "query", "header", "cookie"].includes(location)) {
    const name = key.slice(dot + 1)
    return operation.parameters.find((parameter) => parameter.in === location && parameter.name === name)
  }
  return operation.parameters.find((parameter) => parameter.name === key)
}

/** Returns the extraction a runtime expression requests, or `undefined` when it reads no response value. */
const extractionOf = (expression: string, variable: string): Extraction | undefined => {
  if (expression === "$response.body") return { variable, from: "body", path: "" }
  if (expression.startsWith("$response.body#"))
    return { variable, from: "body", path: expression.slice("$response.body#".length) }
  if (expression.startsWith("$response.header."))
    return { variable, from: "header", path: expression.slice("$response.header.".length) }
  return undefined
}

/** Reads `$request.path.x`, `$request.query.x` or `$request.header.x` from the source step's request. */
const requestValue = (expression: string, source: StepRequest): { readonly value: unknown } | undefined => {
  const match = /^\$request\.(path|query|header)\.(.+)$/.exec(expression)
  if (match === null) return undefined
  let bag = source.headers
  if (match[1] === "path") bag = source.pathParams
  else if (match[1] === "query") bag = source.query
  const value = bag[match[2] as string]
  return value === undefined ? undefined : { value }
}

const wireParameter = (
  wiring: Wiring,
  target: Operation,
  key: string,
  expression: unknown,
  source: StepRequest
) => {
  const parameter = findParameter(target, key)
  if (parameter === undefined) {
    wiring.skipped.push(`parameter ${key} is not declared by ${target.id}`)
    return
  }
  if (typeof expression !== "string" || !expression.startsWith("$")) {
    wiring.request = withParameter(wiring.request, parameter, expression)
    return
  }
  const variable = `link.${parameter.in}.${parameter.name}`
  const extraction = extractionOf(expression, variable)
  if (extraction !== undefined) {
    wiring.extract.push(extraction)
    wiring.bind.push({
      variable,
      location: bagOf(parameter) === "pathParams" ? "path" : parameter.in,
      target: parameter.name
    })
    wiring.request = withParameter(wiring.request, parameter, undefined)
    return
  }
  const copied = requestValue(expression, source)
  if (copied !== undefined) wiring.request = withParameter(wiring.request, parameter, copied.value)
  else wiring.skipped.push(`expression ${expression} for ${key} is not supported`)
}

const wireBody = (wiring: Wiring, target: Operation, expression: unknown) => {
  const media = target.requestBody === undefined ? undefined : pickMediaType(target.requestBody)
  if (expression === undefined || media === undefined) return
  const extraction = typeof expression === "string" ? extractionOf(expression, "link.body") : undefined
  if (extraction !== undefined) {
    wiring.extract.push(extraction)
    wiring.bind.push({ variable: "link.body", location: "body", target: "" })
  } else if (typeof expression === "string" && expression.startsWith("$")) {
    // NOTE: embedded expressions (`{$response.body#/id}` inside a text) are not expanded.
    wiring.skipped.push(`requestBody expression ${expression} is not supported`)
  } else {
    wiring.request = withBody(wiring.request, { mediaType: media.mediaType, value: expression })
  }
}

const linkScenario = (
  source: Operation,
  status: string,
  link: Link,
  target: Operation,
  requests: RequestSource,
  id: string
): Scenario | string => {
  const first = requests(source, id)
  const second = requests(target)
  if (first === undefined || second === undefined) return "no valid request for one of its operations"
  const wiring: Wiring = { extract: [], bind: [], request: second, skipped: [] }
  for (const [key, expression] of Object.entries(link.parameters))
    wireParameter(wiring, target, key, expression, first)
  wireBody(wiring, target, link.requestBody)
  if (wiring.skipped.length > 0) return wiring.skipped.join("; ")
  const steps = [
    makeStep("step-1", source, first, "2xx", { extract: wiring.extract }),
    makeStep("step-2", target, wiring.request, "2xx", { bind: wiring.bind })
  ]
  const description = `follow link ${link.name} from ${source.id} (${status}) to ${target.id}`
  const origin = provenance(
    "flow.link",
    "flow",
    description,
    `${source.pointer}/responses/${status}/links/${link.name}`
  )
  return { id, operationIds: [...new Set([source.id, target.id])], provenance: origin, steps }
}

/**
 * Builds a create → delete → read flow from two links of one response: one to a DELETE and one to a GET
 * on the same path with the same parameters. The read must find the resource gone, which is what
 * `use_after_free` judges; a two-step link scenario deletes and never reads back.
 */
const deleteReadScenario = (
  source: Operation,
  status: string,
  links: { readonly remove: Link; readonly read: Link },
  targets: { readonly remove: Operation; readonly read: Operation },
  requests: RequestSource,
  id: string
): Scenario | undefined => {
  const first = requests(source, id)
  const removeBase = requests(targets.remove)
  const readBase = requests(targets.read)
  if (first === undefined || removeBase === undefined || readBase === undefined) return undefined
  const remove: Wiring = { extract: [], bind: [], request: removeBase, skipped: [] }
  const read: Wiring = { extract: [], bind: [], request: readBase, skipped: [] }
  for (const [key, expression] of Object.entries(links.remove.parameters))
    wireParameter(remove, targets.remove, key, expression, first)
  for (const [key, expression] of Object.entries(links.read.parameters))
    wireParameter(read, targets.read, key, expression, first)
  if (remove.skipped.length + read.skipped.length > 0) return undefined
  const extract = [
    ...remove.extract,
    ...read.extract.filter((item) => !remove.extract.some((known) => known.variable === item.variable))
  ]
  const steps = [
    makeStep("step-1", source, first, "2xx", { extract }),
    makeStep("step-2", targets.remove, remove.request, "2xx", { bind: remove.bind }),
    makeStep("step-3", targets.read, read.request, "not_found", { bind: read.bind, afterDelete: true })
  ]
  const description = `create with ${source.id}, delete with ${targets.remove.id} (link ${links.remove.name}), then read with ${targets.read.id} (link ${links.read.name})`
  const origin = provenance(
    "flow.link-delete-read",
    "flow",
    description,
    `${source.pointer}/responses/${status}/links/${links.remove.name}`
  )
  return {
    id,
    operationIds: [...new Set([source.id, targets.remove.id, targets.read.id])],
    provenance: origin,
    steps
  }
}

/** Tests whether two links pass the same parameters, so that they name the same resource. */
const sameParameters = (left: Link, right: Link): boolean =>
  JSON.stringify(Object.entries(left.parameters).sort()) ===
  JSON.stringify(Object.entries(right.parameters).sort())

/** Builds one two-step scenario per link of a successful (2xx or default) response. */
export const linkScenarios = (
  usable: ReadonlyArray<Operation>,
  requests: RequestSource,
  nextId: (operation: Operation, rule: string) => string,
  notes: Array<GenerationNote>
): Array<Scenario> => {
  const byId = new Map(usable.map((operation) => [operation.id, operation]))
  const out: Array<Scenario> = []
  for (const source of usable) {
    for (const response of source.responses) {
      if (!(response.status.startsWith("2") || response.status === "default")) continue
      for (const link of response.links) {
        const target = byId.get(link.operationId)
        const result =
          target === undefined
            ? `target operation ${link.operationId} is missing or not usable`
            : linkScenario(source, response.status, link, target, requests, nextId(source, "flow.link"))
        if (typeof result === "string")
          notes.push({ operationId: source.id, message: `link ${link.name} skipped: ${result}` })
        else out.push(result)
      }
      for (const removeLink of response.links) {
        const remove = byId.get(removeLink.operationId)
        if (remove?.method !== "delete") continue
        const readLink = response.links.find((candidate) => {
          const read = byId.get(candidate.operationId)
          return read?.method === "get" && read.path === remove.path && sameParameters(candidate, removeLink)
        })
        const read = readLink === undefined ? undefined : byId.get(readLink.operationId)
        if (readLink === undefined || read === undefined) continue
        const scenario = deleteReadScenario(
          source,
          response.status,
          { remove: removeLink, read: readLink },
          { remove, read },
          requests,
          nextId(source, "flow.link-delete-read")
        )
        if (scenario !== undefined) out.push(scenario)
      }
    }
  }
  return out
}
