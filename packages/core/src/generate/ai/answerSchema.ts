/**
 * The JSON schema the model's answer must satisfy, and the answer's type. The schema follows the rules
 * of OpenAI's strict structured output: every object lists all its properties as required and allows
 * no others, so free-form values (parameter values, bodies) travel as JSON text.
 */
import { Schema } from "effect"
import type { JsonSchemaObject } from "../../ai/LanguageModel.js"

/** Intents the model may give a scenario. */
export const aiIntents = ["valid", "invalid", "business_rule", "edge_case"] as const
export const AiIntent = Schema.Literal(...aiIntents)
export type AiIntent = typeof AiIntent.Type

/** One named value as the model writes it: `value` is JSON text, or a bare string. */
export const AnswerValue = Schema.Struct({ name: Schema.String, value: Schema.String })
export type AnswerValue = typeof AnswerValue.Type

/** One scenario as the model writes it, before it is checked against the spec. */
export const AnswerScenario = Schema.Struct({
  operationId: Schema.String,
  intent: AiIntent,
  description: Schema.String,
  specText: Schema.String,
  request: Schema.Struct({
    pathParams: Schema.Array(AnswerValue),
    query: Schema.Array(AnswerValue),
    headers: Schema.Array(AnswerValue),
    /** JSON text of the body, or `null` for a request without one. */
    body: Schema.NullOr(Schema.String)
  }),
  expect: Schema.Literal("2xx", "4xx"),
  assertions: Schema.Array(Schema.Struct({ rule: Schema.String, expression: Schema.String }))
})
export type AnswerScenario = typeof AnswerScenario.Type

/** The whole answer of one call; the decoder that `answerSchema` mirrors. */
export const Answer = Schema.Struct({ scenarios: Schema.Array(AnswerScenario) })
export type Answer = typeof Answer.Type

const strictObject = (properties: Record<string, unknown>): JsonSchemaObject => ({
  type: "object",
  additionalProperties: false,
  required: Object.keys(properties),
  properties
})

const valueList: JsonSchemaObject = {
  type: "array",
  items: strictObject({
    name: { type: "string", description: "The parameter name exactly as the operation declares it." },
    value: { type: "string", description: 'The value as JSON text, such as 5, "abc", true or [1,2].' }
  })
}

/** Name of the answer schema, as sent to the provider. */
export const answerSchemaName = "qawave_scenarios"

/** The answer schema sent with every generation call. */
export const answerSchema: JsonSchemaObject = strictObject({
  scenarios: {
    type: "array",
    items: strictObject({
      operationId: { type: "string" },
      intent: { type: "string", enum: [...aiIntents] },
      description: { type: "string", description: "What the scenario tests, in one sentence." },
      specText: {
        type: "string",
        description: "The sentence or constraint of the spec the scenario comes from."
      },
      request: strictObject({
        pathParams: valueList,
        query: valueList,
        headers: valueList,
        body: { type: ["string", "null"], description: "JSON text of the request body, or null for none." }
      }),
      expect: { type: "string", enum: ["2xx", "4xx"] },
      assertions: {
        type: "array",
        items: strictObject({
          rule: { type: "string", description: "The rule in words." },
          expression: { type: "string", description: "The rule in the assertion language." }
        })
      }
    })
  }
})
