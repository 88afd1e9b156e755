import { describe, expect, it } from "@effect/vitest"
import { jsonReportChunks, jsonReportOf, toJsonReport } from "../../src/report/index.js"
import { findings, passedReport, runReport } from "./fixture.js"

type Json = Record<string, unknown>

const parse = (text: string): Json => JSON.parse(text) as Json
const sortedKeys = (value: unknown): ReadonlyArray<string> => Object.keys(value as Json).sort()

describe("toJsonReport", () => {
  it("formats with two spaces and a trailing newline", () => {
    const text = toJsonReport(runReport)
    expect(text.endsWith("}\n")).toBe(true)
    expect(text).toBe(`${JSON.stringify(parse(text), null, 2)}\n`)
  })

  it("has exactly the contract's top-level fields", () => {
    expect(sortedKeys(parse(toJsonReport(runReport)))).toEqual([
      "coverage",
      "findings",
      "notes",
      "run",
      "summary"
    ])
  })

  it("renders the notes and the reason", () => {
    const errored = parse(
      toJsonReport({ ...runReport, run: { ...runReport.run, status: "errored", reason: "target down" } })
    )
    expect(errored.notes).toEqual(runReport.notes)
    expect((errored.run as Json).reason).toBe("target down")
  })

  it("renders run fields", () => {
    const run = parse(toJsonReport(runReport)).run as Json
    expect(sortedKeys(run)).toEqual(["finishedAt", "id", "seed", "startedAt", "status"])
    expect(run.id).toBe("run-2026-12-04-01")
    expect(run.status).toBe("failed")
    expect(run.seed).toBe(42)
    expect(run.startedAt).toBe("2026-12-04T20:00:00.000Z")
    expect(run.finishedAt).toBe("2026-12-04T20:00:12.500Z")
  })

  it("renders an unfinished run with null finishedAt", () => {
    const run = parse(toJsonReport(passedReport)).run as Json
    expect(run).toHaveProperty("finishedAt", null)
  })

  it("renders summary fields and AI usage", () => {
    const summary = parse(toJsonReport(runReport)).summary as Json
    expect(summary.operations).toBe(3)
    expect(summary.scenarios).toBe(14)
    expect(summary.steps).toBe(37)
    expect(summary.findings).toBe(5)
    expect(summary.notValidated).toBe(3)
    expect(summary.failedRequests).toBe(1)
    expect(summary.rateLimited).toBe(1)
    expect(summary.skippedOperations).toBe(1)
    expect(summary.ai).toEqual({
      calls: 4,
      cacheHits: 2,
      promptTokens: 5120,
      completionTokens: 1310,
      estimatedCost: 0.0213,
      fallbacks: 1,
      stoppedReason: "budget reached"
    })
  })

  it("lists why responses were not validated", () => {
    const coverage = parse(toJsonReport(runReport)).coverage as ReadonlyArray<Json>
    const createPet = coverage.find((operation) => operation.operationId === "createPet")
    const listPets = coverage.find((operation) => operation.operationId === "listPets")
    expect(createPet?.notValidated).toEqual([
      { check: "response_schema_conformance", reason: "no schema is declared for 201 text/plain", count: 3 }
    ])
    expect(listPets).not.toHaveProperty("notValidated")
  })

  it("omits ai when the run used no model", () => {
    const summary = parse(toJsonReport(passedReport)).summary as Json
    expect(summary).not.toHaveProperty("ai")
    expect(summary.findings).toBe(0)
  })

  it("renders coverage without check counts", () => {
    const coverage = parse(toJsonReport(runReport)).coverage as ReadonlyArray<Json>
    expect(coverage).toHaveLength(3)
    const contract = ["method", "operationId", "path", "statusesDeclared", "statusesSeen"]
    expect(sortedKeys(coverage[0] ?? {})).toEqual(contract)
    expect(sortedKeys(coverage[1] ?? {})).toEqual([...contract, "notValidated"].sort())
    expect(sortedKeys(coverage[2] ?? {})).toEqual(contract)
    expect(coverage[1]).toMatchObject({
      operationId: "createPet",
      method: "post",
      path: "/pets",
      statusesDeclared: ["201", "400", "4xx"],
      statusesSeen: [201, 409, 502]
    })
    expect(coverage[2]?.statusesSeen).toEqual([])
  })

  it("renders every finding with the contract's fields", () => {
    const rendered = parse(toJsonReport(runReport)).findings as ReadonlyArray<Json>
    expect(rendered.map((finding) => finding.id)).toEqual(findings.map((finding) => finding.id))
    for (const finding of rendered) {
      // A flow's finding also lists the steps before the failing one.
      const flowKeys = finding.stepsBefore === undefined ? [] : ["stepsBefore"]
      expect(sortedKeys(finding)).toEqual(
        [
          "check",
          "count",
          "curl",
          "expected",
          "id",
          "message",
          "method",
          "operationId",
          "path",
          "provenance",
          "request",
          "response",
          ...flowKeys
        ].sort()
      )
      expect(sortedKeys(finding.request)).toEqual(["body", "headers", "method", "url"])
    }
  })

  it("lists the steps before a flow finding", () => {
    const rendered = parse(toJsonReport(runReport)).findings as ReadonlyArray<Json>
    const flow = rendered.find((finding) => finding.id === "f-get-timeout")
    expect(flow?.stepsBefore).toEqual([
      {
        method: "POST",
        url: "http://127.0.0.1:4010/pets",
        status: 201,
        curl: `curl -X POST 'http://127.0.0.1:4010/pets' --data-raw '{"name":"<Rex>"}'`
      }
    ])
  })

  it("renders a finding's fields and evidence", () => {
    const finding = (parse(toJsonReport(runReport)).findings as ReadonlyArray<Json>)[0] as Json
    expect(finding.id).toBe("f-list-500")
    expect(finding.operationId).toBe("listPets")
    expect(finding.method).toBe("get")
    expect(finding.path).toBe("/pets")
    expect(finding.check).toBe("not_a_server_error")
    expect(finding.count).toBe(2)
    expect(finding.message).toBe("Server error 500 for GET /pets")
    expect(finding.expected).toBe("a status below 500")
    expect(finding.curl).toBe(
      "curl -X GET 'http://127.0.0.1:4010/pets?limit=-1' -H 'accept: application/json'"
    )
    expect(finding.request).toEqual({
      method: "GET",
      url: "http://127.0.0.1:4010/pets?limit=-1",
      headers: { accept: "application/json", authorization: "Bearer ***" },
      body: null
    })
    expect(finding.response).toEqual({
      status: 500,
      headers: { "content-type": "text/html" },
      body: `<html><script>alert('pwned')</script><p title="x">boom</p></html>`
    })
  })

  it("uppercases request.method and lowercases method", () => {
    const lowercaseRequest = {
      ...runReport,
      findings: runReport.findings.map((finding) => ({
        ...finding,
        method: finding.method.toUpperCase(),
        request: { ...finding.request, method: finding.request.method.toLowerCase() }
      }))
    }
    const rendered = parse(toJsonReport(lowercaseRequest)).findings as ReadonlyArray<Json>
    expect(rendered.map((finding) => finding.method)).toEqual(["get", "get", "post", "post", "get"])
    expect(rendered.map((finding) => (finding.request as Json).method)).toEqual([
      "GET",
      "GET",
      "POST",
      "POST",
      "GET"
    ])
  })

  it("renders response as null without an answer", () => {
    const rendered = parse(toJsonReport(runReport)).findings as ReadonlyArray<Json>
    const timeout = rendered.find((finding) => finding.id === "f-get-timeout")
    expect(timeout).toBeDefined()
    expect(timeout?.response).toBeNull()
    expect(timeout?.request).toEqual({
      method: "GET",
      url: "http://127.0.0.1:4010/pets/1",
      headers: {},
      body: null
    })
  })

  it("keeps request body and AI provenance", () => {
    const rendered = parse(toJsonReport(runReport)).findings as ReadonlyArray<Json>
    const accepted = rendered.find((finding) => finding.id === "f-create-negative")
    expect((accepted?.request as Json | undefined)?.body).toBe(
      `{"name":"<script>alert(1)</script>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}`
    )
    expect(sortedKeys(accepted?.response)).toEqual(["body", "headers", "status"])
    expect(accepted?.provenance).toEqual({
      generator: "ai",
      rule: "ai.business-rule",
      intent: "business_rule",
      description: "A name longer than 40 characters is rejected",
      model: "gpt-4o-mini",
      promptVersion: "3",
      promptHash: "abc123",
      specText: "Pet names are at most 40 characters <strict>."
    })
  })
})

describe("jsonReportChunks", () => {
  const reports = [
    ["failed run", runReport],
    ["passed run", passedReport],
    ["no findings, no notes", { ...runReport, findings: [], notes: [] }],
    ["one finding", { ...runReport, findings: runReport.findings.slice(0, 1) }]
  ] as const
  for (const [name, report] of reports) {
    it(`${name} joins to the whole text`, () => {
      const chunks = Array.from(jsonReportChunks(report))

      expect(chunks.join("")).toBe(`${JSON.stringify(jsonReportOf(report), null, 2)}\n`)
      expect(chunks.length).toBe(report.findings.length === 0 ? 5 : 6 + report.findings.length)
    })
  }
})
