/**
 * Builders for operations and step requests in the execute tests.
 */
import { Effect, Either } from "effect"
import type { EncodedRequest, EncodeOptions } from "../../src/execute/encode.js"
import { encodeRequest } from "../../src/execute/encode.js"
import type { StepRequest } from "../../src/scenario/Scenario.js"
import { emptyRequest } from "../../src/scenario/Scenario.js"
import type { Operation, Parameter, ParameterLocation, ParameterStyle } from "../../src/spec/model.js"

/** A parameter with the given serialization and no schema constraints. */
export const parameter = (
  name: string,
  location: ParameterLocation,
  style: ParameterStyle,
  explode: boolean,
  allowReserved = false
): Parameter => ({
  name,
  in: location,
  required: location === "path",
  deprecated: false,
  style,
  explode,
  allowReserved,
  allowEmptyValue: false,
  schema: true,
  examples: []
})

/** An operation with defaults for everything not given. */
export const operation = (fields: Partial<Operation> = {}): Operation => ({
  id: "testOperation",
  method: "get",
  path: "/items",
  tags: [],
  deprecated: false,
  servers: [],
  parameters: [],
  responses: [],
  security: [],
  fingerprint: "test",
  problems: [],
  pointer: "/paths/~1items/get",
  ...fields
})

/** A step request: the empty one with `fields` laid over it. */
export const request = (fields: Partial<StepRequest> = {}): StepRequest => ({ ...emptyRequest(), ...fields })

/** Encodes or fails the test with the encoding error's message. */
export const encodeOrDie = (
  op: Operation,
  step: StepRequest,
  options: EncodeOptions
): Effect.Effect<EncodedRequest> =>
  Either.match(encodeRequest(op, step, options), {
    onLeft: (error) => Effect.dieMessage(`encoding failed: ${error.message}`),
    onRight: Effect.succeed
  })
