/**
 * Turns `qawave run` flags, an optional config file and the environment into a `RunConfig`.
 * Precedence: flags, then the environment, then the config file.
 */
import { readFile } from "node:fs/promises"
import { dirname, isAbsolute, join } from "node:path"
import {
  type AiConfig,
  allCheckNames,
  type CheckName,
  type Credentials,
  maxConcurrency,
  type RunConfig
} from "@qawave/core"
import { Effect, Redacted } from "effect"
import { parse as parseYaml } from "yaml"
import { closestName, parseCommandArgs } from "./args.js"
import { parseDuration, parsePositiveInteger, parseRate } from "./duration.js"
import { parsePairs } from "./inspect.js"
import { UsageError } from "./UsageError.js"

export const runHelp = `Usage: qawave run <file-or-url> --base-url <url> [options]

Generates tests from an OpenAPI description, runs them against a live API and reports what broke.

Target:
  --base-url <url>                 base URL of the API under test (or "baseUrl" in --config)
  --header "Name: value"           header sent with every request (repeatable)
  --bearer-token <token>           token for bearer, OAuth2 and OpenID Connect schemes (env QAWAVE_BEARER_TOKEN)
  --basic-auth <user:password>     HTTP basic credentials (env QAWAVE_BASIC_AUTH)
  --api-key <scheme=value>         value for the security scheme named scheme in the spec: an apiKey
                                   value, or the token of a bearer, OAuth2 or OpenID Connect scheme
                                   (repeatable; env QAWAVE_API_KEY_<SCHEME>, scheme name upper-cased)
  --server-var <name=value>        fill a server variable of the spec (repeatable)
  --config <file>                  JSON or YAML file with any of these settings (see docs/cli.md)

Selection:
  --operation <id>                 test only these operation ids (repeatable)
  --tag <tag>                      test only operations with these tags (repeatable)
  --path <template>                test only these path templates; a trailing * matches any rest (repeatable)
  --checks <a,b,...>               run only these checks
  --exclude-checks <a,b,...>       do not run these checks
  --max-scenarios-per-operation <n>  default 50
  --seed <n>                       seed for the generators; the same seed gives the same scenarios

Execution:
  --concurrency <n>                requests in flight at once, default 10, at most 1000
  --rate-limit <n/s>               requests per second to the target, such as 20/s or 600/m
  --request-timeout <duration>     deadline of one request, such as 10s (default 30s)
  --max-response-time <duration>   a slower response fails max_response_time, such as 500ms
  --deadline <duration>            cancel the whole run after this long
  --validate <mode>                default, or strict to also validate the whole document

Generators:
  --generators <list>              schema, ai or schema,ai (default: schema, or schema,ai with --ai-model)
  --ai-base-url <url>              OpenAI-compatible API, such as https://api.openai.com/v1 or a local
                                   server (qawave model-server); the key comes from OPENAI_API_KEY or
                                   QAWAVE_AI_API_KEY
  --ai-model <name>                model name as the provider spells it
  --ai-mode <mode>                 structured output: auto (default), json_schema, json_object or tool
  --ai-max-cost <amount>           stop asking the model once the estimated cost reaches this amount
  --ai-prompt-price <amount>       price per million prompt tokens, for the estimate (default 0)
  --ai-completion-price <amount>   price per million completion tokens (default 0)
  --ai-concurrency <n>             model calls in flight at once, default 5
  --ai-cache-dir <dir>             where AI scenarios are kept between runs, default .qawave/cache

Reports:
  --report-json <file>             machine-readable report
  --report-junit <file>            JUnit XML, a test case per operation and check
  --report-html <file>             one self-contained HTML page
  --no-progress                    do not print progress on standard error
  -h, --help                       show this help

Checks: ${allCheckNames.join(", ")}

Exit codes: 0 no findings, 1 findings, 2 usage or spec error or a run that tested nothing,
3 internal error or a report that cannot be written, 130 cancelled with Ctrl-C,
143 stopped with SIGTERM.`

export interface ReportPaths {
  readonly json?: string
  readonly junit?: string
  readonly html?: string
}

export interface RunInvocation {
  readonly config: RunConfig
  readonly reports: ReportPaths
  readonly progress: boolean
  /** Directory of the file-backed AI scenario cache. */
  readonly cacheDirectory: string
  /** The source of each credential, such as `QAWAVE_BEARER_TOKEN`, for the hint about masked secrets. */
  readonly secretSources: ReadonlyArray<string>
}

const flagOptions = {
  "base-url": { type: "string" },
  header: { type: "string", multiple: true },
  "bearer-token": { type: "string" },
  "basic-auth": { type: "string" },
  "api-key": { type: "string", multiple: true },
  "server-var": { type: "string", multiple: true },
  config: { type: "string" },
  operation: { type: "string", multiple: true },
  tag: { type: "string", multiple: true },
  path: { type: "string", multiple: true },
  checks: { type: "string" },
  "exclude-checks": { type: "string" },
  "max-scenarios-per-operation": { type: "string" },
  seed: { type: "string" },
  concurrency: { type: "string" },
  "rate-limit": { type: "string" },
  "request-timeout": { type: "string" },
  "max-response-time": { type: "string" },
  deadline: { type: "string" },
  validate: { type: "string" },
  "report-json": { type: "string" },
  "report-junit": { type: "string" },
  "report-html": { type: "string" },
  "no-progress": { type: "boolean" },
  generators: { type: "string" },
  "ai-base-url": { type: "string" },
  "ai-model": { type: "string" },
  "ai-mode": { type: "string" },
  "ai-max-cost": { type: "string" },
  "ai-prompt-price": { type: "string" },
  "ai-completion-price": { type: "string" },
  "ai-concurrency": { type: "string" },
  "ai-cache-dir": { type: "string" },
  help: { type: "boolean", short: "h" }
} as const

type Flags = Effect.Effect.Success<ReturnType<typeof parseFlags>>["values"]

const parseFlags = (argv: ReadonlyArray<string>) => parseCommandArgs(argv, flagOptions, "run")

/** Settings a config file may hold; the same names as the flags, in camelCase. */
type FileSettings = Record<string, unknown>

const fileSettingNames = [
  "spec",
  "baseUrl",
  "auth",
  "checks",
  "excludeChecks",
  "maxScenariosPerOperation",
  "seed",
  "concurrency",
  "rateLimit",
  "requestTimeout",
  "maxResponseTime",
  "deadline",
  "validate",
  "reportJson",
  "reportJunit",
  "reportHtml",
  "generators",
  "aiBaseUrl",
  "aiModel",
  "aiMode",
  "aiMaxCost",
  "aiPromptPrice",
  "aiCompletionPrice",
  "aiConcurrency",
  "aiCacheDir",
  "operation",
  "tag",
  "path",
  "header",
  "serverVar"
]

const authSettingNames = ["bearer", "basic", "apiKeys"]

/** The shape each plain setting takes in a config file; lists, maps and `auth` are checked apart. */
const settingKinds: Readonly<Record<string, "text" | "number" | "list">> = {
  spec: "text",
  baseUrl: "text",
  validate: "text",
  reportJson: "text",
  reportJunit: "text",
  reportHtml: "text",
  aiBaseUrl: "text",
  aiModel: "text",
  aiMode: "text",
  aiCacheDir: "text",
  maxScenariosPerOperation: "number",
  seed: "number",
  concurrency: "number",
  rateLimit: "number",
  requestTimeout: "number",
  maxResponseTime: "number",
  deadline: "number",
  aiMaxCost: "number",
  aiPromptPrice: "number",
  aiCompletionPrice: "number",
  aiConcurrency: "number",
  checks: "list",
  excludeChecks: "list",
  generators: "list"
}

const kindWords = { text: "a string", number: "a number or a string", list: "a string or a list" } as const

// Names the type only: a value in the wrong place may be a secret.
const describeValue = (value: unknown): string => {
  if (Array.isArray(value)) return "a list"
  if (value === null) return "null"
  if (isMap(value)) return "a map"
  return `a ${typeof value}`
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * Checks the shapes of the list and credential settings, so that a mistake fails instead of being
 * dropped, and turns a `header` or `serverVar` map into the flags' list form. Throws with the reason.
 */
const normalizeFileSettings = (settings: FileSettings): FileSettings => {
  const out: FileSettings = { ...settings }
  for (const key of ["operation", "tag", "path", "header", "serverVar"]) {
    const value = settings[key]
    if (value === undefined || typeof value === "string" || Array.isArray(value)) continue
    if (isMap(value) && (key === "header" || key === "serverVar")) {
      out[key] = Object.entries(value).map(([name, item]) =>
        key === "header" ? `${name}: ${String(item)}` : `${name}=${String(item)}`
      )
      continue
    }
    throw new Error(
      `${key} must be a string or a list${key === "header" || key === "serverVar" ? " or a map" : ""}`
    )
  }
  for (const [key, value] of Object.entries(settings)) {
    const kind = settingKinds[key]
    if (kind === undefined || value === undefined) continue
    const fits =
      typeof value === "string" ||
      (kind !== "text" && typeof value === "number") ||
      (kind === "list" && Array.isArray(value))
    if (!fits) throw new Error(`${key} must be ${kindWords[kind]}, got ${describeValue(value)}`)
  }
  const auth = settings.auth
  if (auth !== undefined) {
    if (!isMap(auth)) throw new Error("auth must be a map with bearer, basic or apiKeys")
    for (const key of ["bearer", "basic"]) {
      const value = auth[key]
      if (value !== undefined && typeof value !== "string")
        throw new Error(`auth.${key} must be a string, got ${describeValue(value)}`)
    }
    const apiKeys = auth.apiKeys
    if (apiKeys !== undefined && !isMap(apiKeys))
      throw new Error(`auth.apiKeys must be a map from scheme name to key, got ${describeValue(apiKeys)}`)
    for (const [scheme, key] of Object.entries(apiKeys ?? {})) {
      if (typeof key !== "string" && typeof key !== "number")
        throw new Error(`auth.apiKeys.${scheme} must be a string, got ${describeValue(key)}`)
    }
    const unknown = Object.keys(auth).filter((key) => !authSettingNames.includes(key))
    if (unknown.length > 0) {
      const suggestion = closestName(unknown[0]!, authSettingNames)
      const hint = suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`
      throw new Error(
        `unknown auth setting ${unknown.join(", ")}${hint}; the auth settings are ${authSettingNames.join(", ")}`
      )
    }
  }
  return out
}

const readConfigFile = (path: string) =>
  Effect.tryPromise({
    try: async () => {
      const text = await readFile(path, "utf8")
      const parsed: unknown = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text)
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new Error("the file must hold an object of settings")
      }
      const unknown = Object.keys(parsed).filter((key) => !fileSettingNames.includes(key))
      if (unknown.length > 0) {
        const suggestion = closestName(unknown[0]!, fileSettingNames)
        const hint = suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`
        throw new Error(
          `unknown setting ${unknown.join(", ")}${hint}; the settings are ${fileSettingNames.join(", ")}`
        )
      }
      const settings = normalizeFileSettings(parsed as FileSettings)
      // A relative spec path in the file is relative to the file, not to the working directory.
      if (
        typeof settings.spec === "string" &&
        !isAbsolute(settings.spec) &&
        !/^https?:\/\//i.test(settings.spec)
      ) {
        return { ...settings, spec: join(dirname(path), settings.spec) }
      }
      return settings
    },
    catch: (error) => {
      // A system error (ENOENT, EACCES) carries an errno: the file could not be read. Anything else is its content.
      const unreadable = typeof (error as { errno?: unknown }).errno === "number"
      const problem = unreadable ? "cannot read the config file" : "invalid config file"
      return new UsageError({ message: `${problem} ${path}: ${(error as Error).message}` })
    }
  })

const parseCheckList = (option: string, text: string | undefined) =>
  Effect.gen(function* () {
    if (text === undefined) return undefined
    // Case and hyphens are forgiven, as in `Ignored-Auth`: the names are fixed, so nothing is ambiguous.
    const names = text
      .split(",")
      .map((name) => name.trim().toLowerCase().replaceAll("-", "_"))
      .filter((name) => name !== "")
    const known: ReadonlyArray<string> = allCheckNames
    const unknown = names.filter((name) => !known.includes(name))
    if (unknown.length > 0) {
      const listed = unknown
        .map((name) => {
          const suggestion = closestName(name, known)
          return suggestion === undefined ? `"${name}"` : `"${name}" (did you mean ${suggestion}?)`
        })
        .join(", ")
      return yield* new UsageError({
        message: `${option}: unknown check ${listed}; valid checks are ${allCheckNames.join(", ")}`
      })
    }
    return names as ReadonlyArray<CheckName>
  })

const parseHeaders = (values: ReadonlyArray<string>) =>
  Effect.forEach(values, (header) => {
    const index = header.indexOf(":")
    const name = header.slice(0, index).trim()
    if (index <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      // Only the start is shown: a malformed Authorization header would otherwise print its token.
      return Effect.fail(
        new UsageError({
          message: `--header expects "Name: value" with a colon after the name, got "${header.split(/\s/)[0]} …"`
        })
      )
    }
    return Effect.succeed([name, header.slice(index + 1).trim()] as const)
  }).pipe(Effect.map((entries) => Object.fromEntries(entries)))

/** Reads a setting as text; a list (such as `checks: [a, b]`) becomes comma-separated. */
const stringSetting = (file: FileSettings, key: string): string | undefined => {
  const value = file[key]
  if (typeof value === "string") return value
  if (typeof value === "number") return String(value)
  if (Array.isArray(value)) return value.map(String).join(",")
  return undefined
}

/** Reads a list setting of a config file: a YAML list, or one value as a list of one. */
const listSetting = (file: FileSettings, key: string): Array<string> | undefined => {
  const value = file[key]
  if (Array.isArray(value)) return value.map(String)
  if (typeof value === "string" || typeof value === "number") return [String(value)]
  return undefined
}

const credentialsFrom = (flags: Flags, file: FileSettings, env: NodeJS.ProcessEnv) =>
  Effect.gen(function* () {
    const fileAuth = (typeof file.auth === "object" && file.auth !== null ? file.auth : {}) as Record<
      string,
      unknown
    >
    const sources: Array<string> = []
    /** Records the source of the first given value of a credential, and returns that value. */
    const firstOf = (
      candidates: ReadonlyArray<readonly [string | undefined, string]>
    ): string | undefined => {
      const found = candidates.find(([value]) => value !== undefined)
      if (found !== undefined) sources.push(found[1])
      return found?.[0]
    }
    const bearer = firstOf([
      [flags["bearer-token"], "--bearer-token"],
      [env.QAWAVE_BEARER_TOKEN, "QAWAVE_BEARER_TOKEN"],
      [stringSetting(fileAuth, "bearer"), "auth.bearer in the config file"]
    ])
    // An empty token is nearly always an unset shell variable, as in --bearer-token "$TOKEN".
    if (bearer?.trim() === "") {
      return yield* new UsageError({
        message:
          "the bearer token is empty; give a token with --bearer-token, QAWAVE_BEARER_TOKEN or auth.bearer (if it comes from a shell variable, check that the variable is set)"
      })
    }
    const basic = firstOf([
      [flags["basic-auth"], "--basic-auth"],
      [env.QAWAVE_BASIC_AUTH, "QAWAVE_BASIC_AUTH"],
      [stringSetting(fileAuth, "basic"), "auth.basic in the config file"]
    ])
    const apiKeys: Record<string, Redacted.Redacted<string>> = {}
    const fileKeys = typeof fileAuth.apiKeys === "object" && fileAuth.apiKeys !== null ? fileAuth.apiKeys : {}
    // Later sources replace earlier ones, so each scheme's source is kept by scheme.
    const keySources: Record<string, string> = {}
    for (const [scheme, value] of Object.entries(fileKeys)) {
      apiKeys[scheme] = Redacted.make(String(value))
      keySources[scheme] = `auth.apiKeys.${scheme} in the config file`
    }
    for (const [name, value] of Object.entries(env)) {
      if (!name.startsWith("QAWAVE_API_KEY_") || value === undefined) continue
      if (value.trim() === "") {
        return yield* new UsageError({
          message: `the environment variable ${name} is empty; give it the credential or unset it`
        })
      }
      apiKeys[name.slice("QAWAVE_API_KEY_".length)] = Redacted.make(value)
      keySources[name.slice("QAWAVE_API_KEY_".length)] = name
    }
    const flagKeys = yield* parsePairs("--api-key", flags["api-key"] ?? [])
    for (const [scheme, value] of Object.entries(flagKeys)) {
      if (value.trim() === "") {
        return yield* new UsageError({
          message: `--api-key ${scheme}= has an empty value; give the credential after the = (if it comes from a shell variable, check that the variable is set)`
        })
      }
      apiKeys[scheme] = Redacted.make(value)
      keySources[scheme] = `--api-key ${scheme}`
    }
    let basicCredentials: Credentials["basic"]
    if (basic !== undefined) {
      const index = basic.indexOf(":")
      if (index <= 0) {
        return yield* new UsageError({
          message: "--basic-auth expects user:password (the value is not shown)"
        })
      }
      basicCredentials = { username: basic.slice(0, index), password: Redacted.make(basic.slice(index + 1)) }
    }
    const credentials: Credentials = {
      ...(Object.keys(apiKeys).length === 0 ? {} : { apiKeys }),
      ...(bearer === undefined ? {} : { bearer: Redacted.make(bearer) }),
      ...(basicCredentials === undefined ? {} : { basic: basicCredentials })
    }
    return { credentials, sources: [...sources, ...Object.values(keySources)] }
  })

const generatorNames = ["schema", "ai"] as const

const parseGenerators = (text: string | undefined) =>
  Effect.gen(function* () {
    if (text === undefined) return undefined
    const names = text.split(",").map((name) => name.trim())
    const unknown = names.filter((name) => !(generatorNames as ReadonlyArray<string>).includes(name))
    if (unknown.length > 0 || names.length === 0) {
      return yield* new UsageError({
        message: `--generators takes schema, ai or schema,ai, got "${text}"`
      })
    }
    return names as ReadonlyArray<(typeof generatorNames)[number]>
  })

const nonNegativeNumber = (option: string, text: string | undefined) => {
  if (text === undefined) return Effect.succeed(undefined)
  const value = Number(text)
  return Number.isFinite(value) && value >= 0
    ? Effect.succeed(value)
    : Effect.fail(new UsageError({ message: `${option} expects a number of zero or more, got "${text}"` }))
}

const aiModes = ["auto", "json_schema", "json_object", "tool"] as const

const aiConfigFrom = (
  setting: (flag: keyof Flags, key: string) => string | undefined,
  env: NodeJS.ProcessEnv
) =>
  Effect.gen(function* () {
    const baseUrl = setting("ai-base-url", "aiBaseUrl")
    const model = setting("ai-model", "aiModel")
    if (baseUrl === undefined && model === undefined) return undefined
    if (baseUrl === undefined || model === undefined) {
      return yield* new UsageError({
        message:
          "the AI generator needs both --ai-base-url and --ai-model, such as --ai-base-url https://api.openai.com/v1 --ai-model gpt-4o-mini"
      })
    }
    try {
      new URL(baseUrl)
    } catch {
      return yield* new UsageError({ message: `--ai-base-url "${baseUrl}" is not a valid URL` })
    }
    const mode = setting("ai-mode", "aiMode") ?? "auto"
    if (!(aiModes as ReadonlyArray<string>).includes(mode)) {
      return yield* new UsageError({
        message: `--ai-mode must be one of ${aiModes.join(", ")}, got "${mode}"`
      })
    }
    const concurrencyText = setting("ai-concurrency", "aiConcurrency")
    const maxCost = yield* nonNegativeNumber("--ai-max-cost", setting("ai-max-cost", "aiMaxCost"))
    const promptPrice = yield* nonNegativeNumber(
      "--ai-prompt-price",
      setting("ai-prompt-price", "aiPromptPrice")
    )
    const completionPrice = yield* nonNegativeNumber(
      "--ai-completion-price",
      setting("ai-completion-price", "aiCompletionPrice")
    )
    // Local servers such as Ollama need no key, but the client sends one, so a placeholder is sent.
    const key = env.QAWAVE_AI_API_KEY ?? env.OPENAI_API_KEY ?? "no-key-set"
    const config: AiConfig = {
      baseUrl,
      model,
      apiKey: Redacted.make(key),
      mode: mode as (typeof aiModes)[number],
      prices: { promptPerMillion: promptPrice ?? 0, completionPerMillion: completionPrice ?? 0 },
      ...definedEntries({
        maxCost,
        maxConcurrentCalls:
          concurrencyText === undefined
            ? undefined
            : yield* parsePositiveInteger("--ai-concurrency", concurrencyText)
      })
    }
    return config
  })

/** Reads the command line into a run configuration, or fails with a `UsageError` naming the flag. */
export const parseRunInvocation = (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv) =>
  Effect.gen(function* () {
    const { values: flags, positionals } = yield* parseFlags(argv)
    if (flags.help) return "help" as const
    const file = flags.config === undefined ? {} : yield* readConfigFile(flags.config)
    const spec = positionals[0] ?? stringSetting(file, "spec")
    if (spec === undefined || positionals.length > 1) {
      return yield* new UsageError({
        message:
          "qawave run takes exactly one spec file or URL, such as qawave run openapi.yaml --base-url http://localhost:8080"
      })
    }
    const baseUrl = flags["base-url"] ?? stringSetting(file, "baseUrl")
    if (baseUrl === undefined) {
      return yield* new UsageError({
        message: "--base-url is required: the URL of the API under test, such as http://localhost:8080"
      })
    }
    const setting = (flag: keyof Flags, key: string) => {
      const value = flags[flag]
      return typeof value === "string" ? value : stringSetting(file, key)
    }
    const number = (flag: keyof Flags, key: string) => {
      const text = setting(flag, key)
      return text === undefined ? Effect.succeed(undefined) : parsePositiveInteger(`--${flag}`, text)
    }
    const duration = (flag: keyof Flags, key: string) => {
      const text = setting(flag, key)
      return text === undefined ? Effect.succeed(undefined) : parseDuration(`--${flag}`, text)
    }
    const validate = setting("validate", "validate") ?? "default"
    if (validate !== "default" && validate !== "strict") {
      return yield* new UsageError({ message: `--validate must be "default" or "strict", got "${validate}"` })
    }
    const seedText = setting("seed", "seed")
    const seed =
      seedText === undefined ? undefined : /^\s*-?\d+\s*$/.test(seedText) ? Number(seedText) : Number.NaN
    if (seed !== undefined && !Number.isSafeInteger(seed)) {
      return yield* new UsageError({
        message: `--seed expects a whole number from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}, got "${seedText}"`
      })
    }
    const rateText = setting("rate-limit", "rateLimit")
    const headers = yield* parseHeaders(flags.header ?? listSetting(file, "header") ?? [])
    const serverVariables = yield* parsePairs(
      "--server-var",
      flags["server-var"] ?? listSetting(file, "serverVar") ?? []
    )
    const operationIds = flags.operation ?? listSetting(file, "operation")
    const tags = flags.tag ?? listSetting(file, "tag")
    const paths = flags.path ?? listSetting(file, "path")
    const includeChecks = yield* parseCheckList("--checks", setting("checks", "checks"))
    const excludeChecks = yield* parseCheckList(
      "--exclude-checks",
      setting("exclude-checks", "excludeChecks")
    )
    const { credentials, sources: secretSources } = yield* credentialsFrom(flags, file, env)
    const generators = yield* parseGenerators(setting("generators", "generators"))
    const ai = yield* aiConfigFrom(setting, env)
    if (generators?.includes("ai") && ai === undefined) {
      return yield* new UsageError({
        message:
          "--generators ai needs a model: add --ai-base-url and --ai-model (try qawave model-server for a local one)"
      })
    }
    const config: RunConfig = {
      spec,
      baseUrl,
      validate,
      headers,
      serverVariables,
      credentials,
      filter: {
        ...(operationIds === undefined ? {} : { operationIds }),
        ...(tags === undefined ? {} : { tags }),
        ...(paths === undefined ? {} : { paths })
      },
      ...definedEntries({
        seed,
        generators,
        ai,
        includeChecks,
        excludeChecks,
        maxScenariosPerOperation: yield* number("max-scenarios-per-operation", "maxScenariosPerOperation"),
        concurrency: yield* number("concurrency", "concurrency"),
        rateLimitPerSecond: rateText === undefined ? undefined : yield* parseRate("--rate-limit", rateText),
        requestTimeoutMs: yield* duration("request-timeout", "requestTimeout"),
        maxResponseTimeMs: yield* duration("max-response-time", "maxResponseTime"),
        deadlineMs: yield* duration("deadline", "deadline")
      })
    }
    // The library checks these too; here the message can name the command-line options.
    if (config.concurrency !== undefined && config.concurrency > maxConcurrency) {
      return yield* new UsageError({
        message: `--concurrency must be at most ${maxConcurrency}, got ${config.concurrency}; each unit keeps a connection to the target open, so use a lower value`
      })
    }
    if (includeChecks?.includes("max_response_time") && config.maxResponseTimeMs === undefined) {
      return yield* new UsageError({
        message:
          "--checks max_response_time needs a limit: add --max-response-time, such as --max-response-time 500ms"
      })
    }
    const reports: ReportPaths = definedEntries({
      json: setting("report-json", "reportJson"),
      junit: setting("report-junit", "reportJunit"),
      html: setting("report-html", "reportHtml")
    })
    return {
      config,
      reports,
      progress: flags["no-progress"] !== true,
      cacheDirectory: setting("ai-cache-dir", "aiCacheDir") ?? ".qawave/cache",
      secretSources
    } satisfies RunInvocation
  })

/** Drops the entries whose value is undefined, as `exactOptionalPropertyTypes` requires. */
const definedEntries = <T extends Record<string, unknown>>(record: T) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>
  }
