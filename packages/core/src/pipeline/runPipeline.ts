/**
 * One run as an Effect Stream: operations → scenarios → steps → checks → sinks. Generation and
 * execution run concurrently with bounded buffers between them, and results leave through the
 * `EventBus`, the `RunStore` and the returned report as they come, so memory does not grow with the
 * number of steps.
 */
import { Clock, Effect, Queue, Random, Stream } from "effect"
import { type CheckName, FindingCollector, selectChecks } from "../check/index.js"
import type { ExchangeFailure, RecordedRequest } from "../execute/Exchange.js"
import { Executor, toCurl } from "../execute/index.js"
import { resolveSettings } from "../generate/ai/settings.js"
import type { GeneratedScenarios, GenerateOptions, ScenarioGenerator } from "../generate/Generator.js"
import { SchemaGenerator } from "../generate/index.js"
import { inferResources } from "../generate/schema/flows.js"
import { hasCallerTracer } from "../internal/hotSpan.js"
import { EventBus } from "../ports/EventBus.js"
import { perSecond } from "../ports/RateLimiter.js"
import { RunStore } from "../ports/RunStore.js"
import type { AiUsage, RunReport, RunStatus } from "../run/Run.js"
import type { RunEvent, RunEventInput } from "../run/RunEvent.js"
import type { Scenario } from "../scenario/Scenario.js"
import { loadSpec } from "../spec/index.js"
import type { ApiSpec, Operation, SpecProblem } from "../spec/model.js"
import {
  checkSendable,
  hasAnyCredential,
  operationsWithoutCredentials,
  redactCredentialHeaders,
  resolveCredentials
} from "./credentials.js"
import { IdPool } from "./idPool.js"
import { OutageWatch } from "./outage.js"
import { planOperations } from "./plan.js"
import { defaults, type RunConfig } from "./RunConfig.js"
import { RunError } from "./RunError.js"
import { RunTally } from "./RunTally.js"
import { runScenario, type StepContext, type StepOutcome } from "./runScenario.js"
import { validateConfig } from "./validateConfig.js"

// Scenarios generated ahead of execution; a slow target makes generation wait here.
const scenarioBufferSize = 64
const generationConcurrency = 4

/**
 * Makes the run's event emitter. `record` numbers an event and keeps it, and `flush` sends what was
 * kept to the store and the bus in one batch each. Steps record their events and each scenario
 * flushes once, because an effect per event cost more than the rest of recording a step.
 * `emit` records and flushes at once.
 */
const makeEmitter = Effect.fn("Pipeline.makeEmitter")(function* () {
  const bus = yield* EventBus
  const store = yield* RunStore
  const clock = yield* Effect.clock
  // Fibers share one JavaScript thread and the numbering happens in one synchronous call, so a plain
  // counter orders events without a Ref, and a batch keeps that order.
  let sequence = 0
  // Several events share a millisecond in a fast run; their timestamp text is built once.
  let lastMillis = Number.NaN
  let lastAt = ""
  let pending: Array<RunEvent> = []
  const record = (input: RunEventInput): void => {
    const millis = clock.unsafeCurrentTimeMillis()
    sequence++
    if (millis !== lastMillis) {
      lastMillis = millis
      lastAt = new Date(millis).toISOString()
    }
    // Every input is a fresh object literal of this module, so the event is completed in place: a
    // spread into a new object cost more than the rest of emitting together.
    const event = input as RunEventInput & { sequence: number; at: string }
    event.sequence = sequence
    event.at = lastAt
    pending.push(event as RunEvent)
  }
  const flush = Effect.suspend(() => {
    if (pending.length === 0) return Effect.void
    const batch = pending
    pending = []
    return Effect.zipRight(store.appendEvents(batch), bus.publishAll(batch))
  })
  const emit = (input: RunEventInput) =>
    Effect.suspend(() => {
      record(input)
      return flush
    })
  return { record, flush, emit }
})

/**
 * Returns a function that builds the curl command of `request`. It is made here, outside the step's
 * scope, so that a kept finding holds only the request and not the scenario and exchange around it.
 */
const curlLater = (request: RecordedRequest) => () => toCurl(request)

/** Tests whether an operation takes credentials: some alternative of its `security` names a scheme. */
const isSecured = (operation: Operation): boolean =>
  operation.security.some((alternative) => alternative.length > 0)

/** Returns the path of a server URL without a trailing slash, reading a relative URL against a placeholder host. */
const serverPath = (server: string): string | undefined => {
  try {
    return new URL(server, "http://server.invalid").pathname.replace(/\/+$/, "")
  } catch {
    return undefined
  }
}

/**
 * Builds a hint for a base URL without the path prefix that the spec's servers (or Swagger's
 * `basePath`) give, such as `/v1`: the base URL with that prefix. Undefined when the base URL has it.
 */
const missingPrefixHint = (servers: ReadonlyArray<string>, baseUrl: string): string | undefined => {
  const basePath = serverPath(baseUrl) ?? ""
  const prefixes = [...new Set(servers.map(serverPath))].filter(
    (prefix): prefix is string => prefix !== undefined && prefix !== ""
  )
  const missing = prefixes.find((prefix) => !basePath.endsWith(prefix))
  if (missing === undefined || prefixes.some((prefix) => basePath.endsWith(prefix))) return undefined
  const appended = `${baseUrl.replace(/\/+$/, "")}${missing}`
  if (basePath === "")
    return `The spec's servers use the path ${missing}, which the base URL ${baseUrl} lacks; try the base URL ${appended}.`
  const replaced = `${new URL(baseUrl).origin}${missing}`
  return `The spec's servers use the path ${missing}, but the base URL ${baseUrl} has the path ${basePath}; try the base URL ${replaced}, or ${appended} if ${basePath} is a gateway's prefix.`
}

/** Returns the distinct problems of one severity, in the document and in the given operations. */
const problemsOf = (
  spec: ApiSpec,
  operations: ReadonlyArray<Operation>,
  severity: SpecProblem["severity"]
): ReadonlyArray<SpecProblem> => {
  const found = new Map<string, SpecProblem>()
  // The document's lists repeat the operations' problems. Problems of operations not given stay out.
  const given = new Set(operations.map((operation) => operation.id))
  const ofDocument = [...spec.problems, ...spec.warnings].filter(
    (problem) => problem.operationId === undefined || given.has(problem.operationId)
  )
  const problems = [...ofDocument, ...operations.flatMap((operation) => operation.problems)]
  for (const problem of problems) {
    if (problem.severity === severity) found.set(`${problem.pointer}\u0000${problem.message}`, problem)
  }
  return [...found.values()]
}

/** Describes a problem with where it sits, unless its message already names the place. */
const describeProblem = (problem: SpecProblem): string => {
  const message = problem.message.replace(/\.$/, "")
  const place = problem.pointer.slice(0, problem.pointer.lastIndexOf("/"))
  if (place !== "" && message.includes(place)) return message
  return `${problem.pointer === "" ? "the document" : problem.pointer}: ${message}`
}

/** Lists the first `limit` problems and how many more there are. */
const listProblems = (problems: ReadonlyArray<SpecProblem>, limit: number): string => {
  const listed = problems.slice(0, limit).map(describeProblem)
  const more = problems.length > listed.length ? `; and ${problems.length - listed.length} more` : ""
  return `${listed.join("; ")}${more}`
}

/**
 * Builds the error of a strict run whose spec has errors, in the document or in an operation; with
 * `validate: "default"` those operations are only left out.
 */
const strictProblems = (spec: ApiSpec): RunError | undefined => {
  const errors = problemsOf(spec, spec.operations, "error")
  if (errors.length === 0) return undefined
  return new RunError({
    reason: "SpecLoad",
    message: `the spec ${spec.source} has ${errors.length} ${errors.length === 1 ? "error" : "errors"} and validation is strict: ${listProblems(errors, 5)}. Fix the spec, or run without strict validation to test the other operations`
  })
}

/**
 * Builds the warning note of a spec with warnings in the document or in the planned operations. Some
 * change what the run tests, such as an unknown type that is ignored or an operation without responses.
 */
const specWarnings = (spec: ApiSpec, operations: ReadonlyArray<Operation>): string | undefined => {
  const warnings = problemsOf(spec, operations, "warning")
  if (warnings.length === 0) return undefined
  const count = warnings.length === 1 ? "1 warning" : `${warnings.length} warnings`
  return `warning: the spec has ${count}: ${listProblems(warnings, 3)}. Run \`qawave inspect\` on the spec to see them all`
}

// The template, not the parameter list, is read: this runs for every step.
const hasPathParameters = (operation: Operation): boolean => operation.path.includes("{")

const hasFilter = (filter: RunConfig["filter"]): boolean =>
  (filter?.operationIds?.length ?? 0) + (filter?.tags?.length ?? 0) + (filter?.paths?.length ?? 0) > 0

/** Ends `text` with a period unless it already ends a sentence. */
const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`)

const isoNow = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis).toISOString())

const loadRunSpec = (config: RunConfig) =>
  loadSpec(config.spec, {
    validate: config.validate ?? "default",
    ...(config.serverVariables === undefined ? {} : { serverVariables: config.serverVariables })
  }).pipe(
    Effect.mapError((error) => new RunError({ reason: "SpecLoad", message: error.message, cause: error }))
  )

const operationScenarios = <R>(
  generator: ScenarioGenerator<never, R>,
  spec: ApiSpec,
  operations: ReadonlyArray<Operation>,
  options: GenerateOptions,
  concurrency: number
) =>
  Stream.fromIterable(operations).pipe(
    Stream.mapEffect((operation) => generator.forOperation(spec, operation, options), { concurrency })
  )

const flowScenarios = <R>(
  generator: ScenarioGenerator<never, R>,
  spec: ApiSpec,
  operationIds: ReadonlySet<string>,
  options: GenerateOptions
) =>
  // Flows are generated from the planned operations only, so that a filtered run sends the model no
  // request about operations it leaves out.
  Stream.fromEffect(
    generator.flows(
      { ...spec, operations: spec.operations.filter((operation) => operationIds.has(operation.id)) },
      options
    )
  ).pipe(
    Stream.map(
      (generated): GeneratedScenarios => ({
        scenarios: generated.scenarios.filter((scenario) =>
          scenario.operationIds.every((id) => operationIds.has(id))
        ),
        notes: generated.notes
      })
    )
  )

/**
 * The run's phases, executed one after the other. The operations that create a resource come first,
 * outer ones before nested ones, so that later requests can use the ids they return. Then come the
 * other single operations that delete nothing, then multi-step flows, then DELETE operations. A DELETE of a generated or example id could otherwise
 * remove a resource another scenario is about to use and make a correct API look broken.
 *
 * A DELETE that a flow already exercises on a resource the flow created gets no single-step scenarios
 * that expect success. Those would delete the API's own data, because an example id names a real
 * resource, and later runs against the same server would fail. Its negative and auth scenarios still run.
 */
const phases = <R>(
  generator: ScenarioGenerator<never, R>,
  spec: ApiSpec,
  operations: ReadonlyArray<Operation>,
  options: GenerateOptions,
  generating: number,
  createIds: ReadonlySet<string>
) => {
  const deletes = operations.filter((operation) => operation.method === "delete")
  const creates = operations.filter((operation) => createIds.has(operation.id))
  const others = operations.filter(
    (operation) => operation.method !== "delete" && !createIds.has(operation.id)
  )
  // One phase per path depth: an org exists before the projects created under it.
  const depthOf = (operation: Operation) => operation.path.split("/").length
  const depths = [...new Set(creates.map(depthOf))].sort((left, right) => left - right)
  const createPhases = depths.map((depth) =>
    operationScenarios(
      generator,
      spec,
      creates.filter((operation) => depthOf(operation) === depth),
      options,
      generating
    )
  )
  const deletedByFlows = new Set<string>()
  const flows = flowScenarios(
    generator,
    spec,
    new Set(operations.map((operation) => operation.id)),
    options
  ).pipe(
    Stream.tap((generated) =>
      Effect.sync(() => {
        for (const scenario of generated.scenarios) {
          for (const step of scenario.steps) if (step.bind.length > 0) deletedByFlows.add(step.operationId)
        }
      })
    )
  )
  const keepsData = (scenario: Scenario) =>
    !(
      scenario.steps.length === 1 &&
      deletedByFlows.has(scenario.operationIds[0] ?? "") &&
      (scenario.provenance.intent === "valid" || scenario.provenance.intent === "boundary")
    )
  const deleteScenarios = operationScenarios(generator, spec, deletes, options, generating).pipe(
    Stream.map((generated) => {
      const scenarios = generated.scenarios.filter(keepsData)
      const left = generated.scenarios.length - scenarios.length
      const operationId = generated.scenarios[0]?.operationIds[0]
      const notes =
        left === 0 || operationId === undefined
          ? generated.notes
          : [
              ...generated.notes,
              {
                operationId,
                message: `${left} ${left === 1 ? "scenario" : "scenarios"} that would delete existing data left out; flows test the delete`
              }
            ]
      return { scenarios, notes }
    })
  )
  return [
    ...createPhases,
    operationScenarios(generator, spec, others, options, generating),
    flows,
    deleteScenarios
  ]
}

const waitForAbort = (signal: AbortSignal) =>
  Effect.async<void>((resume) => {
    if (signal.aborted) return resume(Effect.void)
    const onAbort = () => resume(Effect.void)
    signal.addEventListener("abort", onAbort, { once: true })
    return Effect.sync(() => signal.removeEventListener("abort", onAbort))
  })

/** Options of a run besides its configuration. */
export interface RunPipelineOptions<R> {
  /** Makes the scenarios; the schema generator when absent. */
  readonly generator?: ScenarioGenerator<never, R>
  /** Reads the model usage of the run, for the report's `summary.ai`. */
  readonly aiUsage?: Effect.Effect<AiUsage>
}

/** Runs the tests of one spec against one target and returns the report. */
export const runPipeline = Effect.fn("Pipeline.run")(function* <R = never>(
  config: RunConfig,
  runOptions: RunPipelineOptions<R> = {}
) {
  const generator: ScenarioGenerator<never, R> = runOptions.generator ?? SchemaGenerator
  yield* validateConfig(config)
  const runId =
    config.runId ??
    `run-${(yield* Clock.currentTimeMillis).toString(36)}-${(yield* Random.nextInt).toString(36)}`
  const startedAt = yield* isoNow
  const checks = yield* selectChecks({
    ...(config.includeChecks === undefined ? {} : { include: config.includeChecks }),
    ...(config.excludeChecks === undefined ? {} : { exclude: config.excludeChecks })
  }).pipe(
    Effect.mapError(
      (error) => new RunError({ reason: "InvalidConfig", message: error.message, cause: error })
    )
  )
  if (checks.length === 0) {
    return yield* new RunError({
      reason: "InvalidConfig",
      message:
        config.includeChecks?.length === 0
          ? "the list of checks to run is empty; name at least one check"
          : "no check is left to run: the selected checks are all excluded; select at least one check"
    })
  }
  const spec = yield* loadRunSpec(config)
  if (config.validate === "strict") {
    const failure = strictProblems(spec)
    if (failure !== undefined) return yield* failure
  }
  const credentials = resolveCredentials(spec, config.credentials ?? {})
  if (credentials instanceof RunError) return yield* credentials
  const unsendable = checkSendable(credentials, config.headers)
  if (unsendable !== undefined) return yield* unsendable
  // Without an explicit seed, the seed follows the document: an unchanged spec gets the same scenarios
  // (and hits the AI scenario cache), a changed one gets new ones.
  const seed = config.seed ?? Number.parseInt(spec.contentHash.slice(0, 8), 16) % 2 ** 31
  const plan = planOperations(spec, config.filter)
  if (plan.operations.length === 0) {
    return yield* new RunError({
      reason: "NoOperations",
      message:
        spec.operations.length === 0
          ? `${spec.source === "memory" ? "the in-memory spec" : `the spec ${spec.source}`} declares no operations; add operations under paths`
          : hasFilter(config.filter)
            ? `no usable operation matches the filter (${plan.skipped.length} left out); check the filter (--operation, --tag and --path on the command line), or run \`qawave inspect\` to see the spec's problems`
            : `no operation of the spec is usable: all ${plan.skipped.length} have errors (${plan.skipped[0]?.reason ?? "see the spec's problems"}); run \`qawave inspect\` to see every problem`
    })
  }

  const { record: recordEvent, flush, emit } = yield* makeEmitter()
  const store = yield* RunStore
  const tally = new RunTally()
  const collector = new FindingCollector()
  const outage = new OutageWatch()
  const notes: Array<string> = []
  let firstFailure: ExchangeFailure | undefined
  for (const operation of plan.operations) tally.plan(operation)
  tally.skippedOperations = plan.skipped.length
  for (const skipped of plan.skipped) notes.push(`${skipped.operationId} left out: ${skipped.reason}`)
  const warnings = specWarnings(spec, plan.operations)
  if (warnings !== undefined) notes.push(warnings)
  const headers = redactCredentialHeaders(spec, config.headers)
  const headerCredentials = { ...credentials, headers: { ...credentials.headers, ...headers } }
  const uncovered = operationsWithoutCredentials(spec, plan.operations, headerCredentials)
  for (const { operation, schemes } of uncovered) {
    notes.push(
      `warning: ${operation.id} needs credentials for ${schemes.join(" or ")}, and none were given; its requests go without them`
    )
  }

  yield* emit({ _tag: "RunStarted", runId, seed, specTitle: spec.title, baseUrl: config.baseUrl })
  yield* emit({ _tag: "OperationsPlanned", runId, operations: plan.operations.length, skipped: plan.skipped })

  const resources = inferResources(spec)
  const createIds = new Set(resources.map((resource) => resource.createOperationId))
  const executor = yield* Executor
  const context: StepContext = {
    executor,
    traced: yield* hasCallerTracer,
    spec,
    operations: new Map(plan.operations.map((operation) => [operation.id, operation])),
    checks,
    encode: {
      baseUrl: config.baseUrl,
      credentials,
      headers
    },
    ids: new IdPool(resources),
    // The run's own timeout and rate apply whatever executor layer the caller provided.
    execute: {
      targetKey: new URL(config.baseUrl).origin,
      ...(config.requestTimeoutMs === undefined ? {} : { timeoutMs: config.requestTimeoutMs }),
      ...(config.rateLimitPerSecond === undefined ? {} : { rateLimit: perSecond(config.rateLimitPerSecond) })
    },
    ...(config.maxResponseTimeMs === undefined ? {} : { maxResponseTimeMs: config.maxResponseTimeMs })
  }

  // Plain functions returning effects rather than generators: both run once per step or scenario.
  const onStep = (outcome: StepOutcome): void => {
    const { exchange, operation, scenario, step } = outcome
    tally.recordStep(operation.id, exchange.response?.status, outcome.outcomes)
    outage.record(exchange)
    // Only secured operations carry credentials, so a public one's 200 proves nothing about the token.
    if (step.request.auth === "default" && isSecured(operation))
      tally.recordAuth(operation.id, exchange.response?.status)
    const valid = scenario.provenance.intent === "valid" || scenario.provenance.intent === "boundary"
    // A case that tests a path value (its minimum, say) sends that value on purpose.
    const testsPath = scenario.provenance.source?.startsWith("path.") === true
    if (valid && !testsPath && step.bind.length === 0 && hasPathParameters(operation))
      tally.recordUnboundPath(operation.id, exchange.response?.status)
    if (exchange.failure !== undefined) {
      tally.failedRequests++
      firstFailure ??= exchange.failure
    }
    if (exchange.rateLimited) tally.rateLimited++
    const failedChecks: Array<CheckName> = []
    for (const [name, verdict] of outcome.outcomes) {
      if (verdict.status !== "failed") continue
      failedChecks.push(name)
      const recorded = collector.add({
        operation,
        scenario,
        step,
        exchange,
        check: name,
        outcome: verdict,
        curl: curlLater(exchange.request),
        before: outcome.before
      })
      if (recorded.isNew && recorded.findingId !== undefined) {
        recordEvent({
          _tag: "FindingRecorded",
          runId,
          findingId: recorded.findingId,
          operationId: operation.id,
          check: name,
          message: verdict.message
        })
      }
    }
    recordEvent({
      _tag: "StepExecuted",
      runId,
      scenarioId: scenario.id,
      stepId: step.id,
      operationId: operation.id,
      method: exchange.request.method,
      url: exchange.request.url,
      ...(exchange.response === undefined ? {} : { status: exchange.response.status }),
      ...(exchange.failure === undefined ? {} : { failure: exchange.failure.message }),
      elapsedMs: exchange.response?.elapsedMs ?? exchange.failure?.elapsedMs ?? 0,
      failedChecks
    })
  }

  const executeScenario = (scenario: Scenario) =>
    Effect.suspend(() => {
      tally.scenarios++
      const flow = scenario.steps.length > 1
      if (flow) tally.flows++
      recordEvent({
        _tag: "ScenarioGenerated",
        runId,
        scenarioId: scenario.id,
        operationIds: scenario.operationIds,
        generator: scenario.provenance.generator,
        rule: scenario.provenance.rule,
        intent: scenario.provenance.intent
      })
      return Effect.flatMap(runScenario(context, scenario, onStep), (interruption) => {
        if (flow && interruption !== undefined) tally.stoppedFlows++
        if (interruption !== undefined && notes.length < 1_000) {
          notes.push(
            `scenario ${interruption.scenarioId} stopped at step ${interruption.stepId}: ${interruption.reason}`
          )
        }
        return flush
      })
    })

  const options: GenerateOptions = {
    seed,
    maxScenariosPerOperation: config.maxScenariosPerOperation ?? defaults.maxScenariosPerOperation
  }
  // Generated scenarios wait in a bounded queue that a fixed set of workers drains: a slow target makes
  // the producer wait at the queue, and the workers cost far less per step than a concurrent
  // `Stream.mapEffect`. Each worker stops at the `undefined` the producer offers once it is done.
  const concurrency = config.concurrency ?? defaults.concurrency
  const { connections } = executor
  if (connections !== undefined && concurrency > connections) {
    notes.push(
      `warning: concurrency is ${concurrency}, but the executor opens at most ${connections} connections per target, so at most ${connections} requests are in flight; build the layers with layerDefaults(config) or Executor.layer({ connections: ${concurrency} })`
    )
  }
  const executePhase = (scenarios: Stream.Stream<GeneratedScenarios, never, R>) =>
    Effect.gen(function* () {
      const queue = yield* Queue.bounded<Scenario | undefined>(scenarioBufferSize)
      const produce = scenarios.pipe(
        Stream.runForEach((generated) => {
          for (const note of generated.notes)
            if (notes.length < 1_000) notes.push(`${note.operationId}: ${note.message}`)
          return Queue.offerAll(queue, generated.scenarios)
        }),
        Effect.zipRight(
          Queue.offerAll(
            queue,
            Array.from({ length: concurrency }, () => undefined)
          )
        )
      )
      const work: Effect.Effect<void> = Effect.flatMap(Queue.take(queue), (scenario) =>
        scenario === undefined
          ? Effect.void
          : Effect.zipRight(
              executeScenario(scenario),
              Effect.suspend(() => work)
            )
      )
      yield* Effect.all(
        [
          produce,
          Effect.all(
            Array.from({ length: concurrency }, () => work),
            { concurrency }
          )
        ],
        {
          concurrency: 2,
          discard: true
        }
      )
    })
  // Operations generated at once: enough to keep the AI generator's model calls all in flight.
  const generating =
    config.ai === undefined
      ? generationConcurrency
      : Math.max(generationConcurrency, resolveSettings(config.ai).maxConcurrentCalls)
  const pipeline = Effect.forEach(
    phases(generator, spec, plan.operations, options, generating, createIds),
    executePhase,
    {
      discard: true
    }
  )

  const finish = (status: RunStatus, reason?: string) =>
    Effect.gen(function* () {
      const findings = collector.findings()
      const ai = runOptions.aiUsage === undefined ? undefined : yield* runOptions.aiUsage
      const summary = tally.summary(findings.length)
      const report: RunReport = {
        run: {
          id: runId,
          status,
          seed,
          startedAt,
          finishedAt: yield* isoNow,
          ...(reason === undefined ? {} : { reason })
        },
        spec: { title: spec.title, version: spec.version, source: spec.source },
        baseUrl: config.baseUrl,
        summary: ai === undefined ? summary : { ...summary, ai },
        coverage: tally.coverage(),
        findings,
        notes,
        ...(plan.skipped.length === 0 ? {} : { leftOut: plan.skipped })
      }
      yield* store.saveFindings(runId, findings)
      yield* store.saveReport(report)
      yield* emit({
        _tag: "RunFinished",
        runId,
        status,
        summary: report.summary,
        ...(reason === undefined ? {} : { reason })
      })
      return report
    })

  // Either limit ends the pipeline early. The report then gives the reason and keeps what ran so far.
  const aborted = config.signal === undefined ? Effect.never : waitForAbort(config.signal)
  const deadline = config.deadlineMs === undefined ? Effect.never : Effect.sleep(config.deadlineMs)
  // `raceFirst`, not `raceAll`: a pipeline that fails must end the run, not wait for a limit that never comes.
  const outcome = yield* Effect.raceFirst(
    Effect.as(pipeline, "completed" as const),
    Effect.raceFirst(Effect.as(aborted, "cancelled" as const), Effect.as(deadline, "deadline" as const))
  ).pipe(Effect.onInterrupt(() => Effect.ignore(finish("cancelled", "the run was interrupted"))))
  if (outcome === "cancelled") {
    const reason = config.signal?.reason
    return yield* finish("cancelled", typeof reason === "string" ? reason : "the run was cancelled")
  }
  if (outcome === "deadline") {
    // A run that ends at its deadline keeps what it tested. One that got no response tested nothing.
    return tally.steps === 0
      ? yield* finish(
          "errored",
          `the deadline of ${config.deadlineMs} ms was reached before any request got a response; raise the deadline`
        )
      : yield* finish("cancelled", `the deadline of ${config.deadlineMs} ms was reached`)
  }
  // A run whose every scenario stopped before its first request sent nothing, so it tested nothing.
  if (tally.steps === 0 && tally.scenarios > 0) {
    return yield* finish(
      "errored",
      "no request was sent: every scenario stopped before its first request; the notes say why"
    )
  }
  // A run in which no request got a response tested nothing: the target is down or the URL is wrong.
  if (tally.steps > 0 && tally.failedRequests === tally.steps) {
    return yield* finish(
      "errored",
      `no request got a response from ${config.baseUrl}. ${sentence(firstFailure?.message ?? "No answer came")} ${
        firstFailure?.kind === "timeout"
          ? "Check that the API is running, and raise the request timeout if it is only slow."
          : "Check that the API is running and that the base URL is right."
      }`
    )
  }
  // A run in which every response was 404 reached no route: the base URL most likely lacks the API's prefix.
  if (tally.responses > 0 && tally.notFound === tally.responses) {
    const hint = missingPrefixHint(spec.servers, config.baseUrl)
    if (hint !== undefined) return yield* finish("errored", `every response was 404 Not Found. ${hint}`)
    notes.push(
      "warning: every response was 404 Not Found; check that the base URL includes the API's path prefix, if it has one"
    )
  }
  const down = outage.note()
  if (down !== undefined) notes.push(down)
  // Generated ids rarely name existing resources, and examples must name ones the API has.
  if (!(tally.responses > 0 && tally.notFound === tally.responses)) {
    for (const { operationId, sent, notFound } of tally.notFoundOperations()) {
      const operation = context.operations.get(operationId)
      const names = operation?.parameters
        .filter((parameter) => parameter.in === "path")
        .map((parameter) => parameter.name)
      const share = notFound === sent ? "every valid request" : `${notFound} of ${sent} valid requests`
      notes.push(
        `warning: ${share} to ${operationId} with path values not taken from an earlier response got 404, so its path parameters (${(names ?? []).join(", ")}) named no existing resource; give them examples of resources that exist in the API under test`
      )
    }
  }
  // A run whose every request with credentials was refused tested nothing behind the authentication.
  const refused = tally.refusedOperations()
  const warned = new Set(uncovered.map(({ operation }) => operation.id))
  for (const operationId of refused.operations.filter((id) => !warned.has(id))) {
    notes.push(
      `warning: every request to ${operationId} meant to carry credentials was refused with 401 or 403`
    )
  }
  if (refused.all) {
    return yield* finish(
      "errored",
      hasAnyCredential(spec, headerCredentials)
        ? "every request sent with credentials was refused with 401 or 403; check the credentials and their security scheme names"
        : `every request to a secured operation was refused with 401 or 403, and no credentials were given; give them for the spec's security schemes (${Object.keys(spec.securitySchemes).join(", ")})`
    )
  }
  return yield* finish(collector.size() > 0 ? "failed" : "passed")
})
