import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { type CompletionRequest, LanguageModel } from "../../src/ai/LanguageModel.js"
import * as OpenAiLanguageModel from "../../src/ai/OpenAiLanguageModel.js"
import { type ModelServerOptions, startModelServer } from "../../src/model-server/index.js"

const scenarioSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "steps"],
  properties: {
    name: { type: "string" },
    steps: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["method", "status"],
        properties: {
          method: { enum: ["GET", "POST"] },
          status: { type: "integer", minimum: 100, maximum: 599 }
        }
      }
    }
  }
}

const request: CompletionRequest = {
  messages: [
    { role: "system", content: "You write API tests." },
    { role: "user", content: "Write one scenario for GET /pets." }
  ],
  schema: { name: "scenario", schema: scenarioSchema },
  maxTokens: 500,
  temperature: 0
}

const modelServer = (options: ModelServerOptions = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => startModelServer(options)),
    (server) => Effect.promise(() => server.close())
  )

type LayerOptions = Partial<OpenAiLanguageModel.OpenAiLanguageModelOptions>

/** Runs `complete` calls against the `openai` layer pointed at `baseUrl`. */
const withModel = <A, E>(
  baseUrl: string,
  options: LayerOptions,
  use: (model: LanguageModel["Type"]) => Effect.Effect<A, E>
) =>
  Effect.flatMap(LanguageModel, use).pipe(
    Effect.provide(
      OpenAiLanguageModel.layer({
        baseUrl,
        apiKey: Redacted.make("sk-test-key"),
        model: "qawave-local",
        ...options
      })
    )
  )

const completeOnce = (baseUrl: string, options: LayerOptions = {}) =>
  withModel(baseUrl, options, (model) => model.complete(request))

const failureOf = (baseUrl: string, options: LayerOptions = {}) => Effect.flip(completeOnce(baseUrl, options))

describe("OpenAiLanguageModel", () => {
  for (const mode of ["json_schema", "json_object", "tool"] as const) {
    it.scopedLive(`${mode} mode returns valid value`, () =>
      Effect.gen(function* () {
        const server = yield* modelServer()
        const response = yield* completeOnce(server.baseUrl, { mode })
        expect(response.mode).toBe(mode)
        expect(response.model).toBe("qawave-local")
        expect(response.value).toEqual(JSON.parse(response.raw))
        expect((response.value as { steps: Array<unknown> }).steps.length).toBeGreaterThan(0)
        expect(response.usage.promptTokens).toBeGreaterThan(0)
        expect(response.usage.completionTokens).toBe(Math.ceil(response.raw.length / 4))

        const body = server.requests[0]?.body
        expect(body?.max_completion_tokens).toBe(500)
        expect(body?.temperature).toBe(0)
        if (mode === "json_schema") {
          expect(body?.response_format).toEqual({
            type: "json_schema",
            json_schema: { name: "scenario", schema: scenarioSchema, strict: true }
          })
        }
        if (mode === "json_object") {
          expect(body?.response_format).toEqual({ type: "json_object" })
          expect(body?.messages[0]?.content).toContain(JSON.stringify(scenarioSchema, null, 2))
          expect(body?.messages).toHaveLength(2)
        }
        if (mode === "tool") {
          expect(body?.tools?.[0]?.function.name).toBe("scenario")
          expect(body?.tool_choice).toEqual({ type: "function", function: { name: "scenario" } })
          expect(body?.response_format).toBeUndefined()
        }
      })
    )
  }

  it.scopedLive("auto steps down and remembers", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: "reject_json_schema" })
      const modes = yield* withModel(server.baseUrl, { mode: "auto" }, (model) =>
        Effect.all([model.complete(request), model.complete(request)])
      )
      expect(modes.map((response) => response.mode)).toEqual(["json_object", "json_object"])
      const sent = server.requests.map((recorded) => recorded.body?.response_format?.type)
      expect(sent).toEqual(["json_schema", "json_object", "json_object"])
    })
  )

  it.scopedLive("auto steps down once per call", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({
        script: (body) =>
          body.response_format === undefined
            ? { json: { name: "by tool", steps: [{ method: "GET", status: 200 }] } }
            : {
                status: 400,
                body: {
                  error: {
                    message: "response_format is not supported",
                    type: "invalid_request_error",
                    code: null
                  }
                }
              }
      })
      const [first, second] = yield* withModel(server.baseUrl, {}, (model) =>
        Effect.all([Effect.flip(model.complete(request)), model.complete(request)])
      )
      expect(first.reason).toBe("Rejected")
      expect(second.mode).toBe("tool")
      const sent = server.requests.map((recorded) => recorded.body?.response_format?.type ?? "tool")
      expect(sent).toEqual(["json_schema", "json_object", "json_object", "tool"])
    })
  )

  it.scopedLive("unrelated 400 does not step down", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({
        script: () => ({
          status: 400,
          body: { error: { message: "messages are too long", type: "invalid_request_error", code: null } }
        })
      })
      const error = yield* failureOf(server.baseUrl)
      expect(error.reason).toBe("Rejected")
      expect(server.requests).toHaveLength(1)
    })
  )

  it.scopedLive("fixed mode does not step down", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: "reject_json_schema" })
      const error = yield* failureOf(server.baseUrl, { mode: "json_schema" })
      expect(error.reason).toBe("Rejected")
      expect(error.status).toBe(400)
      expect(server.requests).toHaveLength(1)
    })
  )

  it.scopedLive("429 maps to RateLimited", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: { name: "rate_limit", retryAfterSeconds: 3 } })
      const error = yield* failureOf(server.baseUrl)
      expect(error.reason).toBe("RateLimited")
      expect(error.status).toBe(429)
      expect(error.retryAfterMs).toBe(3000)
      expect(server.requests).toHaveLength(1)
    })
  )

  it.scopedLive("Retry-After HTTP date parsed", () =>
    Effect.gen(function* () {
      const retryAt = new Date(Date.now() + 60_000).toUTCString()
      const server = yield* modelServer({
        script: () => ({
          status: 429,
          body: { error: { message: "slow down", type: "requests", code: "rate_limit_exceeded" } },
          headers: { "retry-after": retryAt }
        })
      })
      const error = yield* failureOf(server.baseUrl)
      expect(error.reason).toBe("RateLimited")
      // The date has one-second resolution, so the wait is 59 to 60 seconds.
      expect(error.retryAfterMs).toBeGreaterThan(58_000)
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000)
    })
  )

  it.scopedLive("500 maps to ServerError", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: "server_error" })
      const error = yield* failureOf(server.baseUrl)
      expect(error.reason).toBe("ServerError")
      expect(error.status).toBe(500)
      expect(server.requests).toHaveLength(1)
    })
  )

  it.scopedLive("maxRetries retries server errors", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: { name: "server_error", times: 2 } })
      const response = yield* completeOnce(server.baseUrl, { maxRetries: 2 })
      expect(response.mode).toBe("json_schema")
      expect(server.requests).toHaveLength(3)
    })
  )

  it.scopedLive("hang with timeoutMs maps to Timeout", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: "hang" })
      const started = performance.now()
      const error = yield* failureOf(server.baseUrl, { timeoutMs: 300 })
      const elapsed = performance.now() - started
      expect(error.reason).toBe("Timeout")
      expect(elapsed).toBeGreaterThanOrEqual(290)
      expect(elapsed).toBeLessThan(5_000)
    })
  )

  it.scopedLive("invalid_json maps to InvalidJson", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: "invalid_json" })
      const error = yield* failureOf(server.baseUrl)
      expect(error.reason).toBe("InvalidJson")
      expect(server.requests).toHaveLength(1)
      expect(error.raw?.length).toBeGreaterThan(0)
      expect(() => JSON.parse(error.raw ?? "")).toThrow()
      expect(error.message).toContain("not valid JSON")
    })
  )

  it.scopedLive("truncated_json maps to InvalidJson", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: "truncated_json" })
      const error = yield* failureOf(server.baseUrl, { mode: "tool" })
      expect(error.reason).toBe("InvalidJson")
      expect(error.raw?.startsWith("{")).toBe(true)
    })
  )

  it.scopedLive("wrong_schema maps to SchemaMismatch", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: "wrong_schema" })
      const error = yield* failureOf(server.baseUrl)
      expect(error.reason).toBe("SchemaMismatch")
      expect(() => JSON.parse(error.raw ?? "")).not.toThrow()
      expect(error.message).toContain("scenario")
    })
  )

  it.scopedLive("script content validated locally", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({
        script: () => ({ json: { name: "x", steps: [{ method: "DELETE", status: 200 }] } })
      })
      const error = yield* failureOf(server.baseUrl)
      expect(error.reason).toBe("SchemaMismatch")
      expect(error.message).toContain("/steps/0/method")
      expect(error.raw).toBe(JSON.stringify({ name: "x", steps: [{ method: "DELETE", status: 200 }] }))
    })
  )

  it.scopedLive("fenced JSON answer accepted", () =>
    Effect.gen(function* () {
      const value = { name: "fenced", steps: [{ method: "GET", status: 200 }] }
      const server = yield* modelServer({
        script: () => ({ content: "```json\n" + JSON.stringify(value) + "\n```" })
      })
      const response = yield* completeOnce(server.baseUrl, { mode: "json_object" })
      expect(response.value).toEqual(value)
    })
  )

  it.scopedLive("key required, never in errors", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ apiKey: "sk-test-key" })
      const response = yield* completeOnce(server.baseUrl)
      expect(response.mode).toBe("json_schema")
      expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-test-key")

      const wrongKey = "sk-wrong-key-0123456789"
      const error = yield* withModel(server.baseUrl, { apiKey: Redacted.make(wrongKey) }, (model) =>
        Effect.flip(model.complete(request))
      )
      expect(error.reason).toBe("Unauthorized")
      expect(error.status).toBe(401)
      expect(error.message).not.toContain(wrongKey)
      expect(String(error)).not.toContain(wrongKey)
    })
  )

  it.scopedLive("key scrubbed from echoed messages", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({
        script: () => ({
          status: 401,
          body: {
            error: {
              message: "Incorrect API key provided: sk-test-key",
              type: "invalid_request_error",
              code: null
            }
          }
        })
      })
      const error = yield* failureOf(server.baseUrl)
      expect(error.reason).toBe("Unauthorized")
      expect(error.message).toContain("<redacted>")
      expect(error.message).not.toContain("sk-test-key")
    })
  )

  it.scopedLive("connection refused maps to Network", () =>
    Effect.gen(function* () {
      const server = yield* Effect.promise(() => startModelServer())
      yield* Effect.promise(() => server.close())
      const error = yield* failureOf(server.baseUrl)
      expect(error.reason).toBe("Network")
    })
  )

  it.scopedLive("custom headers sent", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      yield* completeOnce(server.baseUrl, { headers: { "x-tenant": "t1" } })
      expect(server.requests[0]?.headers["x-tenant"]).toBe("t1")
    })
  )
})
