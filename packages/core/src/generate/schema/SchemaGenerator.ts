/**
 * The deterministic schema generator: positive, negative, boundary and auth scenarios for each
 * operation, and multi-step flows across operations. Output depends only on the spec and the options.
 */
import { Effect } from "effect"
import type { Scenario, StepRequest } from "../../scenario/Scenario.js"
import { type ApiSpec, isUsable, type Operation } from "../../spec/model.js"
import type { GeneratedScenarios, GenerateOptions, GenerationNote, ScenarioGenerator } from "../Generator.js"
import { caseBase } from "./base.js"
import { boundaryCases } from "./boundaries.js"
import { generateFlows } from "./flows.js"
import { type CaseDraft, negativeCases } from "./negatives.js"
import { deriveSeed, makeRandom, type Random } from "./random.js"
import { buildRequest } from "./request.js"
import { idCounter, needsCredentials, provenance, singleStepScenario } from "./scenarios.js"

interface Positive {
  readonly rule: string
  readonly description: string
  readonly request: StepRequest
  readonly values: "examples" | "generated"
}

/**
 * The structure of a request without its scalar values, so that two positives that only differ in
 * values (an operation without optional parts) count as one.
 */
const shapeOf = (request: StepRequest): string =>
  JSON.stringify(request, (_key, value: unknown) =>
    value === null || typeof value === "object"
      ? value
      : typeof value === "string" && value.length > 64
        ? "bytes"
        : typeof value
  )

const positives = (
  spec: ApiSpec,
  operation: Operation,
  random: Random,
  notes: Array<string>
): Array<Positive> => {
  const example = buildRequest(spec, operation, random.fork("positive.example"), {
    useExamples: true,
    preferExamples: true,
    optional: "all"
  })
  const generated = buildRequest(spec, operation, random.fork("positive.generated"), {
    useExamples: false,
    preferExamples: false,
    optional: "random"
  })
  const requiredOnly = buildRequest(spec, operation, random.fork("positive.required-only"), {
    useExamples: false,
    preferExamples: true,
    optional: "none"
  })
  const out: Array<Positive> = []
  const seen = new Set<string>()
  const add = (rule: string, description: string, built: typeof example, keep: boolean) => {
    if (!built.ok) {
      notes.push(`${rule}: no valid request: ${built.reason}`)
      return
    }
    notes.push(...built.notes.map((note) => `${rule}: ${note} (left out)`))
    const key = shapeOf(built.request)
    if (!keep || seen.has(key)) return
    seen.add(key)
    out.push({
      rule,
      description,
      request: built.request,
      values: built.fromExamples ? "examples" : "generated"
    })
  }
  add(
    "positive.example",
    "valid request built from the spec's examples",
    example,
    example.ok && example.fromExamples
  )
  add("positive.generated", "valid request generated from the schemas", generated, true)
  add("positive.required-only", "valid request with only the required values", requiredOnly, true)
  return out
}

/** Reorders cases so that each rule appears once before any rule appears twice. */
const spreadByRule = <A extends { readonly rule: string }>(items: ReadonlyArray<A>): Array<A> => {
  const byRule = new Map<string, Array<A>>()
  for (const item of items) {
    const queue = byRule.get(item.rule)
    if (queue === undefined) byRule.set(item.rule, [item])
    else queue.push(item)
  }
  const queues = [...byRule.values()]
  const out: Array<A> = []
  for (let round = 0; out.length < items.length; round++) {
    for (const queue of queues) if (queue[round] !== undefined) out.push(queue[round] as A)
  }
  return out
}

/**
 * Keeps at most `max` scenarios: up to a third of them positive (at least one), then negatives,
 * boundaries and auth cases in turn, then any positives left when the other groups run out.
 */
const selectMix = <A>(
  positive: ReadonlyArray<A>,
  groups: ReadonlyArray<ReadonlyArray<A>>,
  max: number
): Array<A> => {
  const positiveShare = Math.min(positive.length, Math.max(1, Math.ceil(max / 3)))
  const out = positive.slice(0, Math.min(max, positiveShare))
  const cursors = groups.map(() => 0)
  let added = true
  while (out.length < max && added) {
    added = false
    groups.forEach((group, index) => {
      const cursor = cursors[index] ?? 0
      const next = group[cursor]
      if (next === undefined || out.length >= max) return
      out.push(next)
      cursors[index] = cursor + 1
      added = true
    })
  }
  return [...out, ...positive.slice(positiveShare, positiveShare + Math.max(0, max - out.length))]
}

/**
 * Orders the drafts and returns a function per draft that makes its scenario. Only the scenarios that
 * `selectMix` keeps are made, and each rule's ids still count up in the drafts' order.
 */
const draftScenarios = (
  operation: Operation,
  nextId: (rule: string) => string,
  drafts: ReadonlyArray<CaseDraft>,
  intent: "invalid" | "boundary",
  values: "examples" | "generated"
): Array<() => Scenario> =>
  spreadByRule(drafts).map(
    (draft) => () =>
      singleStepScenario(
        nextId(draft.rule),
        operation,
        provenance(draft.rule, intent, draft.description, draft.source, values),
        draft.request(),
        intent === "invalid" ? "4xx" : "2xx"
      )
  )

const authScenarios = (
  operation: Operation,
  nextId: (rule: string) => string,
  base: StepRequest
): Array<Scenario> => {
  if (!needsCredentials(operation)) return []
  const cases = [
    { rule: "auth.none", auth: "none" as const, description: "request without credentials" },
    { rule: "auth.invalid", auth: "invalid" as const, description: "request with invalid credentials" }
  ]
  return cases.map((item) =>
    singleStepScenario(
      nextId(item.rule),
      operation,
      provenance(item.rule, "auth", item.description, "security"),
      { ...base, auth: item.auth },
      "auth"
    )
  )
}

/** Generates the single-operation scenarios of one operation; pure and deterministic for a seed. */
export const generateForOperation = (
  spec: ApiSpec,
  operation: Operation,
  options: GenerateOptions
): GeneratedScenarios => {
  const note = (message: string): GenerationNote => ({ operationId: operation.id, message })
  if (!isUsable(operation)) {
    const problems = operation.problems
      .filter((problem) => problem.severity === "error")
      .map((problem) => problem.message)
    return {
      scenarios: [],
      notes: [note(`operation skipped because it is not usable: ${problems.join("; ")}`)]
    }
  }
  const random = makeRandom(deriveSeed(options.seed, operation.id))
  const messages: Array<string> = []
  const valid = positives(spec, operation, random, messages)
  const first = valid.find((item) => item.rule === "positive.generated") ?? valid[0]
  if (first === undefined) {
    return {
      scenarios: [],
      notes: [...messages, "no scenario made: no valid request could be built"].map(note)
    }
  }
  const built = caseBase(spec, operation, random)
  const base = built?.request ?? first.request
  const baseValues = built?.values ?? first.values
  const nextId = idCounter(operation.id)
  const positiveScenarios = valid.map((item) =>
    singleStepScenario(
      nextId(item.rule),
      operation,
      provenance(item.rule, "valid", item.description, undefined, item.values),
      item.request,
      "2xx"
    )
  )
  const negative = draftScenarios(
    operation,
    nextId,
    negativeCases(spec, operation, base),
    "invalid",
    baseValues
  )
  const boundary = draftScenarios(
    operation,
    nextId,
    boundaryCases(spec, operation, base, random.fork("boundary")),
    "boundary",
    baseValues
  )
  const authBase = valid.find((item) => item.values === "examples") ?? first
  const auth = authScenarios(operation, nextId, authBase.request).map((scenario) => () => scenario)
  const total = positiveScenarios.length + negative.length + boundary.length + auth.length
  const max = Math.max(0, options.maxScenariosPerOperation)
  const kept = selectMix(
    positiveScenarios.map((scenario) => () => scenario),
    [negative, boundary, auth],
    max
  )
  const scenarios = kept.map((make) => make())
  if (scenarios.length < total)
    messages.push(`kept ${scenarios.length} of ${total} scenarios (maxScenariosPerOperation is ${max})`)
  return { scenarios, notes: messages.map(note) }
}

/** The deterministic schema generator as a `ScenarioGenerator`. */
export const SchemaGenerator: ScenarioGenerator = {
  name: "schema",
  forOperation: (spec, operation, options) =>
    Effect.sync(() => generateForOperation(spec, operation, options)),
  flows: (spec, options) => Effect.sync(() => generateFlows(spec, options))
}
