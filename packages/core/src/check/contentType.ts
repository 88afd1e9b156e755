/** The `content_type_conformance` check. */
import type { Check } from "./Check.js"
import { matchMediaType, parseMediaType } from "./mediaType.js"
import { failed, passed, skipped } from "./outcome.js"
import { contentTypeOf, isBodiless, isOutcome, judgeableResponse, matchResponse } from "./response.js"

/**
 * Fails a response whose `content-type` is not covered by a media type that the matched response
 * declares. A response without a body (204, 304, `HEAD`, zero bytes) passes, because it has no type
 * to judge. A response with a body skips the check when its declared response has no `content`.
 */
export const contentTypeConformance: Check = {
  name: "content_type_conformance",
  judge: (input) => {
    const response = judgeableResponse(input)
    if (isOutcome(response)) return response
    const declared = matchResponse(input.operation, response.status)
    if (declared === undefined) return skipped(`status ${response.status} is not declared`)
    if (isBodiless(input.exchange)) return passed()
    if (declared.content.length === 0) return skipped(`response ${declared.status} declares no content`)

    const mediaTypes = declared.content.map((mediaType) => mediaType.mediaType)
    const expected = `one of ${mediaTypes.join(", ")}`
    const header = contentTypeOf(response)
    if (header === undefined) {
      return failed(`The response has a body but no content-type header`, expected, "missing content-type")
    }
    const parsed = parseMediaType(header)
    if (parsed === undefined) {
      return failed(
        `The content-type header "${header}" is not a valid media type`,
        expected,
        "invalid content-type"
      )
    }
    if (matchMediaType(declared.content, header) !== undefined) return passed()
    return failed(
      `Content type ${parsed.essence} is not declared for status ${declared.status}`,
      expected,
      parsed.essence
    )
  }
}
