import { createServer } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import OpenAI from "openai"
import { compileSchema } from "../../src/ai/JsonSchemaValidator.js"
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

const isValidScenario = (value: unknown) => {
  const compiled = compileSchema(scenarioSchema)
  return compiled.ok && compiled.validate(value).ok
}

const modelServer = (options: ModelServerOptions = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => startModelServer(options)),
    (server) => Effect.promise(() => server.close())
  )

const messages = [
  { role: "system", content: "You write API tests." },
  { role: "user", content: "Write one scenario for GET /pets." }
]

const jsonSchemaBody = {
  model: "qawave-local",
  messages,
  response_format: {
    type: "json_schema",
    json_schema: { name: "scenario", schema: scenarioSchema, strict: true }
  }
}

interface CompletionJson {
  model: string
  choices: Array<{
    finish_reason: string
    message: { content: string | null; tool_calls?: Array<{ function: { name: string; arguments: string } }> }
  }>
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number }
}

const post = (baseUrl: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  Effect.promise(() =>
    fetch(`${baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      ...(signal === undefined ? {} : { signal })
    })
  )

const postJson = (baseUrl: string, body: unknown, headers: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const response = yield* post(baseUrl, body, headers)
    const json = yield* Effect.promise(() => response.json() as Promise<unknown>)
    return { status: response.status, headers: response.headers, json }
  })

const contentOf = (json: unknown) => (json as CompletionJson).choices[0]?.message.content ?? ""

describe("startModelServer", () => {
  it.scopedLive("lists models", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ models: ["alpha", "beta"] })
      expect(server.baseUrl).toBe(`http://127.0.0.1:${server.port}/v1`)
      const response = yield* Effect.promise(() => fetch(`${server.baseUrl}/models`))
      const json = yield* Effect.promise(() => response.json())
      expect(response.status).toBe(200)
      expect(json).toEqual({
        object: "list",
        data: [
          { id: "alpha", object: "model", created: 0, owned_by: "qawave" },
          { id: "beta", object: "model", created: 0, owned_by: "qawave" }
        ]
      })
    })
  )

  it.scopedLive("json_schema answer satisfies schema", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const first = yield* postJson(server.baseUrl, jsonSchemaBody)
      const second = yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(first.status).toBe(200)
      const content = contentOf(first.json)
      expect(isValidScenario(JSON.parse(content))).toBe(true)
      expect(contentOf(second.json)).toBe(content)
      const usage = (first.json as CompletionJson).usage
      const promptChars = messages.map((message) => message.content).join("").length
      expect(usage.prompt_tokens).toBe(Math.ceil(promptChars / 4))
      expect(usage.completion_tokens).toBe(Math.ceil(content.length / 4))
      expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens)
      expect(server.requests).toHaveLength(2)
      expect(server.requests[0]?.body?.model).toBe("qawave-local")
    })
  )

  it.scopedLive("json_object reads schema from system message", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const system = `Answer in JSON.\n\`\`\`json\n${JSON.stringify(scenarioSchema)}\n\`\`\``
      const { json } = yield* postJson(server.baseUrl, {
        model: "m",
        messages: [{ role: "system", content: system }, messages[1]],
        response_format: { type: "json_object" }
      })
      expect(isValidScenario(JSON.parse(contentOf(json)))).toBe(true)
    })
  )

  it.scopedLive("tools answer as tool call", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const { json } = yield* postJson(server.baseUrl, {
        model: "m",
        messages,
        tools: [
          { type: "function", function: { name: "other", parameters: { type: "object" } } },
          { type: "function", function: { name: "write_scenario", parameters: scenarioSchema } }
        ],
        tool_choice: { type: "function", function: { name: "write_scenario" } }
      })
      const choice = (json as CompletionJson).choices[0]
      expect(choice?.finish_reason).toBe("tool_calls")
      expect(choice?.message.content).toBeNull()
      const call = choice?.message.tool_calls?.[0]
      expect(call?.function.name).toBe("write_scenario")
      expect(isValidScenario(JSON.parse(call?.function.arguments ?? ""))).toBe(true)
    })
  )

  it.scopedLive("streams chunks with usage", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const response = yield* post(server.baseUrl, {
        ...jsonSchemaBody,
        stream: true,
        stream_options: { include_usage: true }
      })
      expect(response.headers.get("content-type")).toContain("text/event-stream")
      const text = yield* Effect.promise(() => response.text())
      const events = text.split("\n\n").filter((event) => event !== "")
      expect(events.every((event) => event.startsWith("data: "))).toBe(true)
      expect(events.at(-1)).toBe("data: [DONE]")
      const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice("data: ".length)))
      const content = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("")
      expect(isValidScenario(JSON.parse(content))).toBe(true)
      expect(chunks.length).toBeGreaterThan(3)
      const last = chunks.at(-1)
      expect(last.choices).toEqual([])
      expect(last.usage.completion_tokens).toBe(Math.ceil(content.length / 4))
      expect(chunks.at(-2).choices[0].finish_reason).toBe("stop")

      const whole = yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(contentOf(whole.json)).toBe(content)
    })
  )

  it.scopedLive("streams tool call arguments", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const response = yield* post(server.baseUrl, {
        model: "m",
        messages,
        stream: true,
        tools: [{ type: "function", function: { name: "write_scenario", parameters: scenarioSchema } }]
      })
      const text = yield* Effect.promise(() => response.text())
      const chunks = text
        .split("\n\n")
        .filter((event) => event.startsWith("data: {"))
        .map((event) => JSON.parse(event.slice("data: ".length)))
      const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta?.tool_calls ?? [])
      expect(calls[0].function.name).toBe("write_scenario")
      const argumentsText = calls
        .map((call: { function: { arguments: string } }) => call.function.arguments)
        .join("")
      expect(isValidScenario(JSON.parse(argumentsText))).toBe(true)
      expect(chunks.at(-1).choices[0].finish_reason).toBe("tool_calls")
    })
  )

  it.scopedLive("openai client reads stream", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const client = new OpenAI({ baseURL: server.baseUrl, apiKey: "unused", maxRetries: 0 })
      const content = yield* Effect.promise(async () => {
        const stream = await client.chat.completions.create({
          model: "m",
          messages: [{ role: "user", content: "Write one scenario." }],
          response_format: {
            type: "json_schema",
            json_schema: { name: "scenario", schema: scenarioSchema, strict: true }
          },
          stream: true,
          stream_options: { include_usage: true }
        })
        let text = ""
        let completionTokens = 0
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta.content ?? ""
          completionTokens = chunk.usage?.completion_tokens ?? completionTokens
        }
        return { text, completionTokens }
      })
      expect(isValidScenario(JSON.parse(content.text))).toBe(true)
      expect(content.completionTokens).toBe(Math.ceil(content.text.length / 4))
    })
  )

  it.scopedLive("stream without usage option", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const response = yield* post(server.baseUrl, { ...jsonSchemaBody, stream: true })
      const text = yield* Effect.promise(() => response.text())
      expect(text).not.toContain('"usage"')
      expect(text.endsWith("data: [DONE]\n\n")).toBe(true)
    })
  )

  it.scopedLive("plain text without format", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const { json } = yield* postJson(server.baseUrl, { model: "m", messages })
      expect(contentOf(json).length).toBeGreaterThan(0)
      expect(() => JSON.parse(contentOf(json))).toThrow()
    })
  )

  it.scopedLive("api key required when set", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ apiKey: "sk-local-test" })
      const missing = yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(missing.status).toBe(401)
      expect(missing.json).toMatchObject({
        error: { type: "invalid_request_error", code: "invalid_api_key" }
      })
      const wrong = yield* postJson(server.baseUrl, jsonSchemaBody, { authorization: "Bearer sk-other" })
      expect(wrong.status).toBe(401)
      const models = yield* Effect.promise(() => fetch(`${server.baseUrl}/models`))
      expect(models.status).toBe(401)
      const right = yield* postJson(server.baseUrl, jsonSchemaBody, { authorization: "Bearer sk-local-test" })
      expect(right.status).toBe(200)
    })
  )

  it.scopedLive("invalid body gives 400", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const response = yield* Effect.promise(() =>
        fetch(`${server.baseUrl}/chat/completions`, { method: "POST", body: "{not json" })
      )
      expect(response.status).toBe(400)
      const json = yield* Effect.promise(() => response.json())
      expect(json).toMatchObject({ error: { type: "invalid_request_error" } })
      const noMessages = yield* postJson(server.baseUrl, { model: "m", messages: [] })
      expect(noMessages.status).toBe(400)
      const unknown = yield* Effect.promise(() => fetch(`${server.baseUrl}/embeddings`, { method: "POST" }))
      expect(unknown.status).toBe(404)
    })
  )

  it.scopedLive("script answers content, json, raw", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({
        script: (request) => {
          const text = String(request.messages.at(-1)?.content)
          if (text === "content") return { content: '{"broken": ' }
          if (text === "json") return { json: { ok: true } }
          return {
            status: 418,
            body: { error: { message: "teapot", type: "x", code: null } },
            headers: { "x-test": "1" }
          }
        }
      })
      const ask = (content: string) =>
        postJson(server.baseUrl, { model: "m", messages: [{ role: "user", content }] })
      expect(contentOf((yield* ask("content")).json)).toBe('{"broken": ')
      expect(contentOf((yield* ask("json")).json)).toBe('{"ok":true}')
      const raw = yield* ask("raw")
      expect(raw.status).toBe(418)
      expect(raw.headers.get("x-test")).toBe("1")
      expect(raw.json).toEqual({ error: { message: "teapot", type: "x", code: null } })
    })
  )

  it.scopedLive("rate_limit for next N requests", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: { name: "rate_limit", times: 2, retryAfterSeconds: 7 } })
      const first = yield* postJson(server.baseUrl, jsonSchemaBody)
      const second = yield* postJson(server.baseUrl, jsonSchemaBody)
      const third = yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(first.status).toBe(429)
      expect(first.headers.get("retry-after")).toBe("7")
      expect(first.json).toMatchObject({ error: { code: "rate_limit_exceeded" } })
      expect(second.status).toBe(429)
      expect(third.status).toBe(200)
      expect(server.requests.map((request) => request.fault)).toEqual(["rate_limit", "rate_limit", undefined])
    })
  )

  it.scopedLive("server_error and header fault", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      server.setFault("server_error")
      const failed = yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(failed.status).toBe(500)
      expect(failed.json).toMatchObject({ error: { type: "server_error" } })
      server.setFault(undefined)
      const viaHeader = yield* postJson(server.baseUrl, jsonSchemaBody, { "x-qawave-fault": "server_error" })
      expect(viaHeader.status).toBe(500)
      const unknown = yield* postJson(server.baseUrl, jsonSchemaBody, { "x-qawave-fault": "meteor" })
      expect(unknown.status).toBe(400)
      const normal = yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(normal.status).toBe(200)
    })
  )

  it.scopedLive("content faults break the answer", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const valid = contentOf((yield* postJson(server.baseUrl, jsonSchemaBody)).json)
      const truncated = contentOf(
        (yield* postJson(server.baseUrl, jsonSchemaBody, { "x-qawave-fault": "truncated_json" })).json
      )
      expect(truncated).toBe(valid.slice(0, Math.floor(valid.length / 2)))
      expect(() => JSON.parse(truncated)).toThrow()
      const invalid = contentOf(
        (yield* postJson(server.baseUrl, jsonSchemaBody, { "x-qawave-fault": "invalid_json" })).json
      )
      expect(() => JSON.parse(invalid)).toThrow()
      const wrong = contentOf(
        (yield* postJson(server.baseUrl, jsonSchemaBody, { "x-qawave-fault": "wrong_schema" })).json
      )
      expect(isValidScenario(JSON.parse(wrong))).toBe(false)
    })
  )

  it.scopedLive("reject_json_schema spares other modes", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ fault: { name: "reject_json_schema", times: 1 } })
      const objectMode = yield* postJson(server.baseUrl, {
        model: "m",
        messages,
        response_format: { type: "json_object" }
      })
      expect(objectMode.status).toBe(200)
      const rejected = yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(rejected.status).toBe(400)
      expect(rejected.json).toMatchObject({
        error: { param: "response_format", type: "invalid_request_error" }
      })
      const after = yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(after.status).toBe(200)
    })
  )

  it.scopedLive("latency delays answers", () =>
    Effect.gen(function* () {
      const server = yield* modelServer({ latencyMs: 150 })
      const started = performance.now()
      yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(performance.now() - started).toBeGreaterThanOrEqual(140)
      server.setLatencyMs(0)
      server.setFault({ name: "latency", latencyMs: 200, times: 1 })
      const faulted = performance.now()
      yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(performance.now() - faulted).toBeGreaterThanOrEqual(190)
      const fast = performance.now()
      yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(performance.now() - fast).toBeLessThan(150)
    })
  )

  it.live("close ends hang and frees port", () =>
    Effect.gen(function* () {
      const server = yield* Effect.promise(() => startModelServer({ fault: "hang" }))
      const pending = Effect.runPromiseExit(postJson(server.baseUrl, jsonSchemaBody))
      yield* Effect.sleep("100 millis")
      expect(server.requests).toHaveLength(1)
      yield* Effect.promise(() => server.close())
      const exit = yield* Effect.promise(() => pending)
      expect(exit._tag).toBe("Failure")
      // The port is free again: a plain TCP server can listen on it.
      const listened = yield* Effect.promise(
        () =>
          new Promise<boolean>((resolve) => {
            const probe = createServer()
            probe.once("error", () => resolve(false))
            probe.listen(server.port, "127.0.0.1", () => probe.close(() => resolve(true)))
          })
      )
      expect(listened).toBe(true)
    })
  )

  it.scopedLive("hang ends on client abort", () =>
    Effect.gen(function* () {
      const server = yield* modelServer()
      const controller = new AbortController()
      const pending = fetch(`${server.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { "x-qawave-fault": "hang" },
        body: JSON.stringify(jsonSchemaBody),
        signal: controller.signal
      }).then(
        () => "answered",
        () => "aborted"
      )
      yield* Effect.sleep("100 millis")
      controller.abort()
      expect(yield* Effect.promise(() => pending)).toBe("aborted")
      const next = yield* postJson(server.baseUrl, jsonSchemaBody)
      expect(next.status).toBe(200)
    })
  )
})
