import { describe, expect, it } from "@effect/vitest"
import { renderSummaryText } from "../../src/report/index.js"
import { passedReport, runReport } from "./fixture.js"

describe("renderSummaryText", () => {
  const text = renderSummaryText(runReport)
  const lines = text.split("\n")

  it("starts with status, duration and seed", () => {
    expect(lines[0]).toBe("QAWave run run-2026-12-04-01: FAILED in 12.5 s (seed 42)")
    expect(lines[1]).toBe("Spec: Pet Store & Friends 1.2.0, target http://127.0.0.1:4010")
  })

  it("lists the counts", () => {
    expect(text).toContain(
      "Operations 3 planned, 1 left out; scenarios 14, flows 3 (1 stopped early), steps 37\n"
    )
    expect(text).toContain("Findings 5, not validated 3, failed requests 1, rate limited 1\n")
    expect(text).toContain(
      "AI: 4 model calls, 2 cache hits, 5120 prompt + 1310 completion tokens, estimated cost 0.0213, 1 fallback (model stopped: budget reached)\n"
    )
  })

  it("lists why responses were not validated", () => {
    const start = lines.indexOf(
      "Not validated (these responses were not checked and do not count as passed):"
    )
    expect(start).toBeGreaterThan(0)
    expect(lines[start + 1]).toBe(
      "  POST /pets  response_schema_conformance ×3: no schema is declared for 201 text/plain"
    )
  })

  it("lists the run's notes", () => {
    const start = lines.indexOf("Notes:")
    expect(start).toBeGreaterThan(0)
    expect(lines[start + 1]).toBe("  Operation deletePet skipped: path parameter petId has no schema")
  })

  it("says nothing was tested when errored", () => {
    const errored = renderSummaryText({
      ...passedReport,
      run: { ...passedReport.run, status: "errored", reason: "no request got a response" }
    })
    expect(errored).toContain("No findings: nothing was tested.\n")
  })

  it("lists warnings before other notes", () => {
    const routine = Array.from({ length: 12 }, (_, index) => `scenario s${index} stopped at step step-2`)
    const text = renderSummaryText({
      ...runReport,
      notes: [...routine, "warning: createPet needs credentials"]
    })
    const lines = text.split("\n")
    const notesAt = lines.indexOf("Notes:")

    expect(lines[notesAt + 1]).toBe("  warning: createPet needs credentials")
    expect(text).toContain("… and 3 more notes")
  })

  it("explains masked secrets in curl lines", () => {
    const masked = runReport.findings.map((finding, index) =>
      index === 0 ? { ...finding, curl: `${finding.curl} -H 'authorization: Bearer ***'` } : finding
    )
    const text = renderSummaryText({ ...runReport, findings: masked })
    expect(text).toContain("  *** marks a masked secret; put the real value back to replay a request.\n")
    expect(renderSummaryText(runReport)).not.toContain("masked secret")
  })

  it("lists server errors first", () => {
    const start = lines.indexOf("Top findings:")
    expect(start).toBeGreaterThan(0)
    expect(lines[start + 1]).toBe("  1. GET /pets  not_a_server_error ×2  (status 500)")
    expect(lines[start + 2]).toBe("     Server error 500 for GET /pets")
    expect(lines[start + 3]).toBe(
      "     curl -X GET 'http://127.0.0.1:4010/pets?limit=-1' -H 'accept: application/json'"
    )
    expect(lines[start + 4]).toBe("  2. POST /pets  not_a_server_error ×1  (status 502)")
  })

  it("lists accepted bad data before its symptoms", () => {
    const [first] = runReport.findings
    if (first === undefined) throw new Error("the fixture has no finding")
    const symptom = { ...first, id: "symptom", check: "response_schema_conformance" as const, count: 4 }
    const cause = { ...first, id: "cause", check: "negative_data_rejection" as const, count: 1 }
    const slow = { ...first, id: "slow", check: "max_response_time" as const, count: 9 }
    const ordered = renderSummaryText({ ...runReport, findings: [slow, symptom, cause] })
      .split("\n")
      .filter((line) => /^ {2}\d\. /.test(line))
    expect(ordered.map((line) => line.split("  ")[2]?.split(" ")[0])).toEqual([
      "negative_data_rejection",
      "response_schema_conformance",
      "max_response_time"
    ])
  })

  it("shows no response for a failed request", () => {
    expect(text).toContain("  5. GET /pets/{petId}  max_response_time ×1  (no response)\n")
  })

  it("limits the findings shown", () => {
    const short = renderSummaryText(runReport, { maxFindings: 2 })
    expect(short).toContain("  2. POST /pets  not_a_server_error")
    expect(short).not.toContain("  3. ")
    expect(short).toContain("  … and 3 more findings; the reports list them all.\n")
    expect(short.match(/^ {5}curl /gm)).toHaveLength(2)
  })

  it("has no terminal escape codes", () => {
    expect(text).not.toContain("\u001b")
    expect(text.endsWith("\n")).toBe(true)
  })

  it("says so when there are no findings", () => {
    const passed = renderSummaryText(passedReport)
    expect(passed.split("\n")[0]).toBe("QAWave run run-passed: PASSED (seed 7)")
    expect(passed).toContain("\nNo findings.\n")
    expect(passed).not.toContain("Top findings")
    expect(passed).not.toContain("AI:")
  })
})
