import { describe, expect, it } from "@effect/vitest"
import { notValidated, passed } from "../../src/check/outcome.js"
import { maxNotValidatedReasons, RunTally } from "../../src/pipeline/RunTally.js"
import { makeOperation } from "../check/fixtures.js"

describe("RunTally not validated", () => {
  it("counts reasons per operation and check", () => {
    const tally = new RunTally()
    tally.plan(makeOperation())
    const reason = "no schema is declared for 200 text/plain"
    tally.recordStep("getItem", 200, [["response_schema_conformance", notValidated(reason)]])
    tally.recordStep("getItem", 200, [["response_schema_conformance", notValidated(reason)]])
    tally.recordStep("getItem", 200, [["response_schema_conformance", passed()]])

    const [coverage] = tally.coverage()
    expect(coverage?.notValidated).toEqual([{ check: "response_schema_conformance", reason, count: 2 }])
    expect(coverage?.checks.response_schema_conformance).toEqual({ passed: 1, failed: 0, notValidated: 2 })
    expect(tally.notValidated).toBe(2)
  })

  it("omits the list when every response was judged", () => {
    const tally = new RunTally()
    tally.plan(makeOperation())
    tally.recordStep("getItem", 200, [["response_schema_conformance", passed()]])
    expect(tally.coverage()[0]).not.toHaveProperty("notValidated")
  })

  it("keeps a bounded number of reasons", () => {
    const tally = new RunTally()
    tally.plan(makeOperation())
    for (let index = 0; index < maxNotValidatedReasons + 3; index++) {
      tally.recordStep("getItem", 200, [["response_schema_conformance", notValidated(`reason ${index}`)]])
    }
    expect(tally.coverage()[0]?.notValidated).toHaveLength(maxNotValidatedReasons)
    expect(tally.notValidated).toBe(maxNotValidatedReasons + 3)
  })
})

describe("RunTally 404s on unbound paths", () => {
  const record = (tally: RunTally, operationId: string, statuses: ReadonlyArray<number>) => {
    for (const status of statuses) tally.recordUnboundPath(operationId, status)
  }

  it("lists operations with 80 % or more", () => {
    const tally = new RunTally()
    record(tally, "updateProject", [...Array.from({ length: 15 }, () => 404), 200, 200])
    record(tally, "getTask", [404, 404, 404, 404])
    record(tally, "listTasks", [404, 200, 200])
    expect(tally.notFoundOperations()).toEqual([
      { operationId: "updateProject", sent: 17, notFound: 15 },
      { operationId: "getTask", sent: 4, notFound: 4 }
    ])
  })
})
