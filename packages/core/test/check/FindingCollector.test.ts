import { describe, expect, it } from "@effect/vitest"
import type { FailedOutcome } from "../../src/check/Check.js"
import {
  type FailedCheck,
  FindingCollector,
  findingId,
  groupFindings
} from "../../src/check/FindingCollector.js"
import { makeExchange, makeOperation, makeScenario, makeStep } from "./fixtures.js"

const failure = (signature: string, overrides: Partial<FailedCheck> = {}): FailedCheck => {
  const outcome: FailedOutcome = {
    status: "failed",
    message: `failed ${signature}`,
    expected: "below 500",
    signature
  }
  return {
    operation: makeOperation(),
    scenario: makeScenario(),
    step: makeStep(),
    exchange: makeExchange({ status: Number(signature) || 500 }),
    check: "not_a_server_error",
    outcome,
    curl: "curl -X GET http://127.0.0.1:1/items/1",
    ...overrides
  }
}

describe("FindingCollector", () => {
  it("groups by operation, check and signature", () => {
    const collector = new FindingCollector()
    const first = collector.add(failure("500"))
    const second = collector.add(failure("500", { step: { ...makeStep(), id: "step-2" } }))
    const other = collector.add(failure("502"))
    const otherCheck = collector.add(failure("500", { check: "status_code_conformance" }))

    expect(first.isNew).toBe(true)
    expect(second.isNew).toBe(false)
    expect(other.isNew).toBe(true)
    expect(otherCheck.isNew).toBe(true)
    expect(collector.size()).toBe(3)
    const [grouped] = collector.findings()
    expect(grouped?.count).toBe(2)
    expect(grouped?.stepId).toBe("step-1")
  })

  it("keeps the first evidence", () => {
    const collector = new FindingCollector()
    collector.add(failure("500"))
    const [finding] = collector.findings()
    expect(finding?.method).toBe("GET")
    expect(finding?.path).toBe("/items/{id}")
    expect(finding?.request.url).toBe("http://127.0.0.1:1/items/1")
    expect(finding?.response?.status).toBe(500)
    expect(finding?.curl).toContain("curl")
    expect(finding?.expected).toBe("below 500")
    expect(finding?.provenance.rule).toBe("positive.example")
  })

  it("derives deterministic ids", () => {
    expect(findingId("getItem", "not_a_server_error", "500")).toBe(
      findingId("getItem", "not_a_server_error", "500")
    )
    expect(findingId("getItem", "not_a_server_error", "500")).not.toBe(
      findingId("getItem", "not_a_server_error", "502")
    )
    expect(findingId("getItem", "not_a_server_error", "500")).toMatch(/^[0-9a-f]{16}$/)
    const collector = new FindingCollector()
    const added = collector.add(failure("500"))
    expect(added.findingId).toBe(findingId("getItem", "not_a_server_error", "500"))
  })

  it("caps distinct findings and counts overflow", () => {
    const collector = new FindingCollector({ maxFindings: 3 })
    for (let index = 0; index < 10; index++) collector.add(failure(`sig-${index}`))
    const known = collector.add(failure("sig-0"))
    expect(collector.size()).toBe(3)
    expect(collector.overflow()).toBe(7)
    const overflowing = collector.add(failure("sig-11"))
    expect(known.isNew).toBe(false)
    expect(known.findingId).toBe(findingId("getItem", "not_a_server_error", "sig-0"))
    expect(collector.findings()[0]?.count).toBe(2)
    expect(overflowing.findingId).toBeUndefined()
  })

  it("builds a curl function once, when read", () => {
    const collector = new FindingCollector()
    let calls = 0
    const curl = () => {
      calls++
      return "curl -X GET http://127.0.0.1:1/items/1"
    }
    collector.add(failure("500", { curl }))
    collector.add(failure("500", { curl }))
    expect(calls).toBe(0)
    const [first] = collector.findings()
    const [again] = collector.findings()
    expect(first?.curl).toBe("curl -X GET http://127.0.0.1:1/items/1")
    expect(again?.curl).toBe(first?.curl)
    expect(calls).toBe(1)
  })

  it("groups a list at once", () => {
    const grouped = groupFindings([failure("500"), failure("500"), failure("500"), failure("503")])
    expect(grouped.findings.map((finding) => finding.count)).toEqual([3, 1])
    expect(grouped.overflow).toBe(0)
  })
})

describe("FindingCollector evidence", () => {
  it("cuts long bodies to the evidence limit", () => {
    const collector = new FindingCollector({ maxEvidenceChars: 10 })
    const long = makeExchange({
      status: 500,
      body: "x".repeat(100),
      headers: { "content-type": "text/plain" }
    })
    const request = { ...long.request, body: "y".repeat(50) }
    collector.add(failure("500", { exchange: { ...long, request } }))
    const [finding] = collector.findings()
    expect(finding?.response?.body).toBe("x".repeat(10))
    expect(finding?.response?.truncated).toBe(true)
    expect(finding?.response?.bodyBytes).toBe(100)
    expect(finding?.request.body).toBe("y".repeat(10))
  })

  it("keeps short bodies as recorded", () => {
    const collector = new FindingCollector()
    collector.add(failure("500"))
    const [finding] = collector.findings()
    expect(finding?.response?.truncated).toBe(false)
  })
})
