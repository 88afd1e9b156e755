import { validate as validateDocument } from "@readme/openapi-parser"
import { Effect, Option } from "effect"
import { SpecCache } from "../ports/SpecCache.js"
import { canonicalJson, sha256 } from "./canonical.js"
import type { LinkTargets } from "./context.js"
import type { DefinitionStore } from "./definitions.js"
import { bundleExternalRefs, findRefHolders, textMayHaveExternalRefs } from "./externalRefs.js"
import { type DefinitionDigests, digestDefinitions, operationFingerprint } from "./fingerprint.js"
import type { ApiSpec, Operation, SpecProblem, SpecVersion } from "./model.js"
import { listOperations, mediaList, normalizeOperation, type OperationDefaults } from "./operations.js"
import { isObject, type JsonObject } from "./pointer.js"
import { type SpecLoadError, specLoadError } from "./SpecLoadError.js"
import { SchemaConverter } from "./schema.js"
import { readSecurity, readSecuritySchemes } from "./security.js"
import {
  checkOverrides,
  defaultServers,
  resolveServers,
  type ServerContext,
  swaggerServers
} from "./servers.js"
import {
  defaultFetchTimeoutMs,
  defaultMaxBytes,
  messageOf,
  type RawDocument,
  readDocument
} from "./source.js"

/** Where a spec comes from: a file path, an http(s) URL, or a parsed document with an optional location. */
export type SpecSource = string | { readonly document: object; readonly location?: string }

export interface LoadSpecOptions {
  /** `strict` also runs `@readme/openapi-parser` validation and reports its verdict as a document problem. */
  readonly validate?: "default" | "strict"
  /** Values for server URL variables, overriding their defaults. */
  readonly serverVariables?: Readonly<Record<string, string>>
  /** Limit for fetching a URL, redirects included, in milliseconds (default 30,000). */
  readonly fetchTimeoutMs?: number
  /** Limit on the size of a file or response body, in bytes (default 256 MiB). */
  readonly maxBytes?: number
}

/** Loads, normalizes and caches an API description; fails only when the document cannot be used at all. */
export const loadSpec = (
  source: SpecSource,
  options: LoadSpecOptions = {}
): Effect.Effect<ApiSpec, SpecLoadError, SpecCache> =>
  Effect.gen(function* () {
    const cache = yield* SpecCache
    const limits = {
      timeoutMs: options.fetchTimeoutMs ?? defaultFetchTimeoutMs,
      maxBytes: options.maxBytes ?? defaultMaxBytes
    }
    const urlKey =
      typeof source === "string" && /^https?:\/\//i.test(source)
        ? `url:${source}:${optionsDigest(options, source)}`
        : undefined
    if (urlKey !== undefined) {
      const cached = yield* cache.get(urlKey)
      if (Option.isSome(cached)) return cached.value
    }
    const raw = yield* readDocument(source, limits)
    const contentKey = `content:${raw.contentHash}:${optionsDigest(options, raw.isUrl ? raw.location : undefined)}`
    const cached = yield* cache.get(contentKey)
    if (Option.isSome(cached))
      return cached.value.source === raw.source ? cached.value : { ...cached.value, source: raw.source }
    const spec = yield* normalizeDocument(raw, options, limits)
    yield* cache.set(contentKey, spec)
    if (urlKey !== undefined) yield* cache.set(urlKey, spec)
    return spec
  }).pipe(Effect.withSpan("Spec.loadSpec"))

/** Options that change the normalized result, hashed into cache keys. */
const optionsDigest = (options: LoadSpecOptions, baseUrl: string | undefined): string =>
  sha256(
    canonicalJson({
      validate: options.validate ?? "default",
      variables: options.serverVariables ?? {},
      baseUrl: baseUrl ?? null
    })
  ).slice(0, 16)

const detectVersion = (
  document: JsonObject,
  source: string,
  warnings: Array<SpecProblem>
): Effect.Effect<SpecVersion, SpecLoadError> => {
  const declared = document.openapi ?? document.swagger
  const text = typeof declared === "number" ? String(declared) : declared
  if (typeof declared === "number") {
    const pointer = document.openapi === undefined ? "/swagger" : "/openapi"
    warnings.push({
      code: "number-instead-of-string",
      severity: "warning",
      pointer,
      message: `The version at ${pointer} is the number ${declared}; quote it in YAML`
    })
  }
  if (typeof text !== "string") {
    return Effect.fail(
      specLoadError({
        source,
        reason: "not-openapi",
        detail: 'it has no "openapi" or "swagger" field',
        hint: "Pass a Swagger 2.0 or OpenAPI 3.x document."
      })
    )
  }
  if (document.swagger !== undefined && /^2(\.0)?$/.test(text)) return Effect.succeed("2.0")
  if (/^3\.0(\.\d+)?$/.test(text) || text === "3") return Effect.succeed("3.0")
  if (/^3\.1(\.\d+)?$/.test(text)) return Effect.succeed("3.1")
  if (/^3\.\d+(\.\d+)?$/.test(text)) {
    warnings.push({
      code: "newer-openapi-version",
      severity: "warning",
      pointer: "/openapi",
      message: `OpenAPI ${text} is read as 3.1; features added after 3.1 are ignored`
    })
    return Effect.succeed("3.1")
  }
  const pointer = document.openapi === undefined ? "/swagger" : "/openapi"
  return Effect.fail(
    specLoadError({
      source,
      pointer,
      reason: "unsupported-version",
      detail: `version "${text}" is not supported`,
      hint: "Convert it to Swagger 2.0 or OpenAPI 3.0 / 3.1."
    })
  )
}

const normalizeDocument = (
  raw: RawDocument,
  options: LoadSpecOptions,
  limits: { timeoutMs: number; maxBytes: number }
): Effect.Effect<ApiSpec, SpecLoadError> =>
  Effect.gen(function* () {
    if (!isObject(raw.document)) {
      return yield* Effect.fail(
        specLoadError({
          source: raw.source,
          reason: "not-openapi",
          detail: "the document is not an object",
          hint: "Pass a Swagger 2.0 or OpenAPI 3.x document."
        })
      )
    }
    const warnings: Array<SpecProblem> = []
    const problems: Array<SpecProblem> = []
    const version = yield* detectVersion(raw.document, raw.source, warnings)
    let document = raw.document as Record<string, unknown>
    const paths = document.paths
    if (
      !isObject(paths) &&
      !(
        version === "3.1" &&
        paths === undefined &&
        (document.webhooks !== undefined || document.components !== undefined)
      )
    ) {
      return yield* Effect.fail(
        specLoadError({
          source: raw.source,
          pointer: "/paths",
          reason: "invalid-paths",
          detail: paths === undefined ? 'the document has no "paths" object' : '"paths" is not an object',
          hint: "Add a paths object that maps path templates to path items."
        })
      )
    }

    // Bundling walks the whole document, so it runs only when a cheap test finds an external `$ref`.
    let bundled = false
    if (textMayHaveExternalRefs(raw.text) && findRefHolders(document, true).length > 0) {
      bundled = true
      if (raw.callerOwned) document = structuredClone(document)
      warnings.push(...(yield* bundleExternalRefs(document, raw.location, limits)))
    }
    if (options.validate === "strict") problems.push(...(yield* strictValidation(document)))

    const spec = yield* Effect.try({
      try: () => buildSpec(raw, document, version, options, problems, warnings, bundled),
      catch: (cause) =>
        specLoadError({
          source: raw.source,
          reason: "invalid-syntax",
          detail: `normalizing failed unexpectedly (${messageOf(cause)})`,
          hint: "Report this document as a QAWave bug.",
          cause
        })
    })
    return spec
  })

/** Runs `@readme/openapi-parser` validation on a copy; its verdict becomes at most one document problem. */
const strictValidation = (document: JsonObject): Effect.Effect<Array<SpecProblem>> =>
  Effect.tryPromise(() => validateDocument(structuredClone(document) as never)).pipe(
    Effect.map(
      (result): Array<SpecProblem> =>
        result.valid
          ? []
          : [
              {
                code: "invalid-document",
                severity: "error",
                pointer: "",
                message: `The document does not validate against the OpenAPI schema: ${result.errors
                  .slice(0, 5)
                  .map((error) => error.message)
                  .join("; ")}${result.errors.length > 5 ? ` (and ${result.errors.length - 5} more)` : ""}`
              }
            ]
    ),
    Effect.catchAll((error) =>
      Effect.succeed<Array<SpecProblem>>([
        {
          code: "invalid-document",
          severity: "error",
          pointer: "",
          message: `Validating the document failed: ${messageOf(error.error)}`
        }
      ])
    )
  )

const buildSpec = (
  raw: RawDocument,
  document: JsonObject,
  version: SpecVersion,
  options: LoadSpecOptions,
  problems: Array<SpecProblem>,
  warnings: Array<SpecProblem>,
  bundled: boolean
): ApiSpec => {
  // Imported documents are not in `raw.text`, so a bundled document is assumed to use both flags.
  const flags = bundled ? { readOnly: true, writeOnly: true } : accessFlagsIn(raw.text)
  const converter = new SchemaConverter(document, version, flags.readOnly, flags.writeOnly)
  const info = isObject(document.info) ? document.info : {}
  if (typeof info.version === "number") {
    warnings.push({
      code: "number-instead-of-string",
      severity: "warning",
      pointer: "/info/version",
      message: `info.version is the number ${info.version}; quote it in YAML so that it stays a string`
    })
  }
  const serverContext: ServerContext = {
    baseUrl: raw.isUrl ? raw.location : undefined,
    overrides: options.serverVariables ?? {},
    warnings
  }
  const servers =
    version === "2.0"
      ? swaggerServers(document, document.schemes, serverContext)
      : (resolveServers(document.servers, "/servers", serverContext) ?? defaultServers(serverContext))
  checkOverrides(document, serverContext)
  const securitySchemes = readSecuritySchemes(document, version, converter, warnings)
  const security = readSecurity(document.security, "/security", securitySchemes, warnings) ?? []

  // NOTE: OpenAPI 3.1 `webhooks` are not normalized into operations.
  const entries = listOperations(isObject(document.paths) ? document.paths : {}, converter, problems)
  let linkTargets: LinkTargets | undefined
  const getLinkTargets = (): LinkTargets => {
    if (linkTargets !== undefined) return linkTargets
    const byOperationId = new Map<string, string>()
    const byPointer = new Map<string, string>()
    for (const entry of entries) {
      byPointer.set(entry.pointer, entry.id)
      const declared = isObject(entry.operation) ? entry.operation.operationId : undefined
      if (typeof declared === "string" && !byOperationId.has(declared)) byOperationId.set(declared, entry.id)
    }
    linkTargets = { byOperationId, byPointer }
    return linkTargets
  }

  const store = converter.store
  const { getDigests, fingerprint } = lazyDigests(store)
  const defaults: OperationDefaults = {
    document,
    version,
    converter,
    servers,
    serverContext,
    securitySchemes,
    security,
    consumes: mediaList(document.consumes, jsonMediaTypes),
    produces: mediaList(document.produces, jsonMediaTypes),
    linkTargets: getLinkTargets,
    memo: new Map(),
    fingerprint
  }
  const drafts = entries.map((entry) => {
    const draft = normalizeOperation(defaults, entry)
    converter.drain()
    return draft
  })

  const operations = drafts.map(({ operation, references }): Operation => {
    if (!store.hasFaults) return operation
    const reached: Array<SpecProblem> = []
    for (const key of references) {
      const fault = getDigests().faultOf(key)
      if (fault !== undefined && !reached.some((problem) => problem.pointer === fault.pointer)) {
        reached.push({ ...fault, operationId: operation.id })
      }
    }
    // The operation object is still private here, so its problems are replaced in place, keeping the key order.
    if (reached.length > 0)
      (operation as { problems: ReadonlyArray<SpecProblem> }).problems = [...operation.problems, ...reached]
    return operation
  })
  for (const operation of operations)
    for (const problem of operation.problems) if (problem.severity === "warning") warnings.push(problem)
  warnings.push(...converter.warnings)

  return {
    title: typeof info.title === "string" ? info.title : "",
    version: info.version === undefined ? "" : String(info.version),
    specVersion: version,
    source: raw.source,
    contentHash: raw.contentHash,
    servers,
    securitySchemes,
    definitions: converter.store,
    operations,
    problems,
    warnings
  }
}

/**
 * Digests cover every converted definition once. They are computed eagerly only when some definition
 * is broken, because broken definitions must reach their operations' problems at load time. Every
 * operation keeps `fingerprint` alive, so it is built here, where its closure can reach only the store
 * and not the converter with its raw document.
 */
const lazyDigests = (
  store: DefinitionStore
): { getDigests: () => DefinitionDigests; fingerprint: OperationDefaults["fingerprint"] } => {
  let digests: DefinitionDigests | undefined
  const getDigests = (): DefinitionDigests => {
    digests ??= digestDefinitions(store)
    return digests
  }
  return {
    getDigests,
    fingerprint: (operation, references) => operationFingerprint(operation, references, getDigests())
  }
}

/**
 * Reports whether the text contains `readOnly` and whether it contains `writeOnly`. One pass over the
 * occurrences of `Only` is much faster on a large text than two searches, because a search scans the
 * whole text when its word is missing.
 */
const accessFlagsIn = (text: string): { readOnly: boolean; writeOnly: boolean } => {
  let readOnly = false
  let writeOnly = false
  for (let at = text.indexOf("Only"); at >= 0; at = text.indexOf("Only", at + 4)) {
    if (at >= 4 && text.startsWith("read", at - 4)) readOnly = true
    else if (at >= 5 && text.startsWith("write", at - 5)) writeOnly = true
    if (readOnly && writeOnly) break
  }
  return { readOnly, writeOnly }
}

/** The Swagger 2.0 default for `consumes` and `produces` when the document gives none. */
const jsonMediaTypes: ReadonlyArray<string> = ["application/json"]
