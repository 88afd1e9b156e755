import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { allCheckNames } from "../../src/check/Check.js"
import { checks, selectChecks } from "../../src/check/registry.js"

describe("checks registry", () => {
  it("holds one check per name", () => {
    expect(checks.map((check) => check.name).sort()).toEqual([...allCheckNames].sort())
  })

  it("selects all checks by default", () => {
    const selected = selectChecks()
    expect(Either.map(selected, (list) => list.length)).toEqual(Either.right(allCheckNames.length))
  })

  it("applies include then exclude", () => {
    const selected = selectChecks({
      include: ["not_a_server_error", "business_rule", "ignored_auth"],
      exclude: ["ignored_auth"]
    })
    expect(Either.map(selected, (list) => list.map((check) => check.name))).toEqual(
      Either.right(["not_a_server_error", "business_rule"])
    )
  })

  it("rejects unknown names and lists valid ones", () => {
    const selected = selectChecks({ include: ["not_a_server_error", "server_error"], exclude: ["speed"] })
    expect(Either.isLeft(selected)).toBe(true)
    if (Either.isRight(selected)) return
    expect(selected.left._tag).toBe("UnknownCheckError")
    expect(selected.left.names).toEqual(["server_error", "speed"])
    expect(selected.left.message).toContain('"server_error", "speed"')
    expect(selected.left.message).toContain("valid names are not_a_server_error, status_code_conformance")
  })
})
