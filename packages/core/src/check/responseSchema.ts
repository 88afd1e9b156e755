/** The `response_schema_conformance` check. */
import type { ValidationIssue } from "../schema/Validator.js"
import { formatIssues, validatorFor } from "../schema/Validator.js"
import type { ApiSpec, JsonSchema } from "../spec/model.js"
import type { Check, CheckOutcome } from "./Check.js"
import { isJsonMediaType, matchMediaType } from "./mediaType.js"
import { failed, notValidated, passed, skipped } from "./outcome.js"
import {
  contentTypeOf,
  isBodiless,
  isOutcome,
  jsonBodyOf,
  judgeableResponse,
  matchResponse
} from "./response.js"
import { chooseDiscriminatorBranch, toStandalone } from "./schema.js"

// Issues listed in one failure message; the rest are counted.
const maxIssuesInMessage = 5

/**
 * Turns a JSON pointer into a signature path: array indices become `*`, so the same wrong field in
 * the third item and in the first item of another response is one finding.
 */
export const signaturePath = (pointer: string): string =>
  pointer === "" ? "(root)" : pointer.replace(/\/\d+(?=\/|$)/g, "/*")

const validateAgainst = (spec: ApiSpec, schema: JsonSchema, body: unknown, where: string): CheckOutcome => {
  const validator = validatorFor(toStandalone(spec, schema))
  if (typeof validator !== "function")
    return notValidated(`the schema of ${where} does not compile: ${validator.message}`)
  const issues: ReadonlyArray<ValidationIssue> = validator(body)
  const first = issues[0]
  if (first === undefined) return passed()
  const shown = formatIssues(issues.slice(0, maxIssuesInMessage))
  const more = issues.length > maxIssuesInMessage ? ` (and ${issues.length - maxIssuesInMessage} more)` : ""
  return failed(
    `The body does not match the schema of ${where}: ${shown}${more}`,
    `a body that matches the schema of ${where}`,
    `${signaturePath(first.path)}: ${first.keyword}`
  )
}

/**
 * Validates a JSON body against the schema of the matched response and media type. A `oneOf` or
 * `anyOf` with a `discriminator` at the top of the schema is validated against the branch the body's
 * property selects. A media type without a schema, a body that is not JSON and a truncated body are
 * `not_validated`, never passed.
 */
export const responseSchemaConformance: Check = {
  name: "response_schema_conformance",
  judge: (input) => {
    const response = judgeableResponse(input)
    if (isOutcome(response)) return response
    const declared = matchResponse(input.operation, response.status)
    if (declared === undefined) return skipped(`status ${response.status} is not declared`)
    if (declared.content.length === 0) return skipped(`response ${declared.status} declares no content`)
    if (isBodiless(input.exchange)) return skipped("the response has no body")

    const contentType = contentTypeOf(response)
    if (contentType === undefined) return notValidated("the response has no content-type header")
    const mediaType = matchMediaType(declared.content, contentType)
    if (mediaType === undefined) {
      return notValidated(`content type ${contentType} matches no media type declared for ${declared.status}`)
    }
    const where = `response ${declared.status} ${mediaType.mediaType}`
    if (mediaType.schema === undefined) return notValidated(`no schema is declared for ${where}`)
    if (!isJsonMediaType(contentType)) {
      return notValidated(`the body is ${contentType}, not JSON, so it was not validated against its schema`)
    }

    const body = jsonBodyOf(input)
    if (body.kind === "truncated") return notValidated("the body was truncated at the recording limit")
    if (body.kind === "invalid") {
      return failed(`The body is not valid JSON: ${body.message}`, `a JSON body for ${where}`, "invalid JSON")
    }
    if (body.kind !== "parsed") return notValidated(`the body could not be read as JSON (${body.kind})`)

    const choice = chooseDiscriminatorBranch(input.spec, mediaType.schema, body.value)
    switch (choice.kind) {
      case "none":
        return validateAgainst(input.spec, mediaType.schema, body.value, where)
      case "branch":
        return validateAgainst(
          input.spec,
          choice.schema,
          body.value,
          `${where} (${choice.propertyName} "${choice.value}")`
        )
      case "missing":
        return failed(
          `The body has no discriminator property "${choice.propertyName}"`,
          `"${choice.propertyName}" set to one of ${choice.values.join(", ")}`,
          `/${choice.propertyName}: discriminator`
        )
      case "unknown":
        return failed(
          `The discriminator property "${choice.propertyName}" is ${JSON.stringify(choice.value)}, which selects no branch`,
          `"${choice.propertyName}" set to one of ${choice.values.join(", ")}`,
          `/${choice.propertyName}: discriminator`
        )
    }
  }
}
