/**
 * The configuration of one run: the spec, the target, and the settings for generating, executing and judging.
 */
import type { Redacted } from "effect"
import type { CheckName } from "../check/Check.js"
import type { Credentials } from "../execute/auth.js"
import type { AiGeneratorSettings } from "../generate/ai/settings.js"
import type { GeneratorName } from "../scenario/Scenario.js"

/** A secret: a plain string or an Effect `Redacted`. Either way it is masked in output and reports. */
export type Secret = string | Redacted.Redacted<string>

/** The credentials of a run, as `Credentials` but with secrets that may be plain strings. */
export interface RunCredentials extends Omit<Credentials, "apiKeys" | "bearer" | "basic"> {
  readonly apiKeys?: Readonly<Record<string, Secret>>
  readonly bearer?: Secret
  readonly basic?: { readonly username: string; readonly password: Secret }
}

/** A spec to load: a file path or http(s) URL, or a document already in memory. */
export type SpecInput = string | { readonly document: object; readonly location?: string }

export interface OperationFilter {
  /** Operation ids to keep; all when empty. */
  readonly operationIds?: ReadonlyArray<string>
  /** Tags to keep; an operation with any of them is kept. */
  readonly tags?: ReadonlyArray<string>
  /** Path templates to keep; a trailing `*` matches any rest, such as `/pets*`. */
  readonly paths?: ReadonlyArray<string>
}

/** The model behind the AI generator: any OpenAI-compatible API. */
export interface AiConfig extends AiGeneratorSettings {
  /** Base URL of the OpenAI-compatible API, such as `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
  readonly baseUrl: string
  /** The key sent as a bearer token; a plain string is treated as secret like a `Redacted` one. */
  readonly apiKey: Secret
  /** How structured output is asked for; `auto` steps down from `json_schema` when the server rejects it. */
  readonly mode?: "json_schema" | "json_object" | "tool" | "auto"
  /** Extra headers for every model request, such as an Azure `api-key` or a LiteLLM tag. */
  readonly headers?: Readonly<Record<string, string>>
}

export interface RunConfig {
  readonly spec: SpecInput
  /** Base URL of the API under test; the operation's path template is appended to it. */
  readonly baseUrl: string
  /** Run id; a random one when absent. */
  readonly runId?: string
  /** Seed for the generators; the same seed gives the same scenarios. */
  readonly seed?: number
  readonly validate?: "default" | "strict"
  readonly serverVariables?: Readonly<Record<string, string>>
  readonly filter?: OperationFilter
  readonly includeChecks?: ReadonlyArray<CheckName>
  readonly excludeChecks?: ReadonlyArray<CheckName>
  /** Headers sent with every request, such as a tenant id; secret values may be `Redacted`. */
  readonly headers?: Readonly<Record<string, string | Redacted.Redacted<string>>>
  /** Credentials by security scheme; a secret may be a plain string, and every secret is masked. */
  readonly credentials?: RunCredentials
  /** Upper bound on the scenarios of one operation. Default 50. */
  readonly maxScenariosPerOperation?: number
  /** Requests in flight at once. Default 10. */
  readonly concurrency?: number
  /** Requests per second to the target; unlimited when absent. */
  readonly rateLimitPerSecond?: number
  /** Deadline of one request in milliseconds. Default 30,000. */
  readonly requestTimeoutMs?: number
  /** A response slower than this fails `max_response_time`. Default: no limit. */
  readonly maxResponseTimeMs?: number
  /** The whole run is cancelled after this many milliseconds; the report then has status `cancelled`. */
  readonly deadlineMs?: number
  /**
   * Aborting it cancels the run; the report then has status `cancelled` and keeps what ran so far.
   * A string given to `abort` becomes the report's `run.reason`.
   */
  readonly signal?: AbortSignal
  /** The generators that make scenarios: `["schema"]` by default, `["schema", "ai"]` when `ai` is set. */
  readonly generators?: ReadonlyArray<GeneratorName>
  /** The model for the `ai` generator. */
  readonly ai?: AiConfig
}

export const defaults = {
  maxScenariosPerOperation: 50,
  concurrency: 10,
  requestTimeoutMs: 30_000
} as const
