import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { type CompletionRequest, LanguageModel, LanguageModelError } from "../../src/ai/LanguageModel.js"

const request: CompletionRequest = {
  messages: [{ role: "user", content: "Say ok." }],
  schema: {
    name: "ok",
    schema: { type: "object", required: ["ok"], properties: { ok: { type: "boolean" } } }
  }
}

describe("LanguageModel.layerScripted", () => {
  it.effect("returns scripted response", () =>
    Effect.gen(function* () {
      const seen: Array<CompletionRequest> = []
      const layer = LanguageModel.layerScripted((incoming) => {
        seen.push(incoming)
        return Effect.succeed({
          value: { ok: true },
          raw: '{"ok":true}',
          usage: { promptTokens: 2, completionTokens: 3 },
          model: "scripted",
          mode: "json_schema" as const
        })
      })
      const response = yield* Effect.flatMap(LanguageModel, (model) => model.complete(request)).pipe(
        Effect.provide(layer)
      )
      expect(response.value).toEqual({ ok: true })
      expect(response.usage).toEqual({ promptTokens: 2, completionTokens: 3 })
      expect(seen).toEqual([request])
    })
  )

  it.effect("returns scripted failure", () =>
    Effect.gen(function* () {
      const layer = LanguageModel.layerScripted(() =>
        Effect.fail(
          new LanguageModelError({ reason: "RateLimited", message: "slow down", retryAfterMs: 500 })
        )
      )
      const error = yield* Effect.flatMap(LanguageModel, (model) => model.complete(request)).pipe(
        Effect.provide(layer),
        Effect.flip
      )
      expect(error._tag).toBe("LanguageModelError")
      expect(error.reason).toBe("RateLimited")
      expect(error.retryAfterMs).toBe(500)
      expect(error.message).toBe("slow down")
    })
  )
})
