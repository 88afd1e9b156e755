/**
 * A hand-built run report of a small pet store: three operations, five findings (one without a
 * response, one from the AI generator), a check that could not validate anything, and notes.
 */
import { Schema } from "effect"
import type { Finding } from "../../src/check/Finding.js"
import { RunReport } from "../../src/run/Run.js"

const baseUrl = "http://127.0.0.1:4010"

const listPetsServerError: Finding = {
  id: "f-list-500",
  operationId: "listPets",
  method: "get",
  path: "/pets",
  check: "not_a_server_error",
  signature: "500",
  count: 2,
  message: "Server error 500 for GET /pets",
  expected: "a status below 500",
  request: {
    method: "GET",
    url: `${baseUrl}/pets?limit=-1`,
    headers: { accept: "application/json", authorization: "Bearer ***" }
  },
  response: {
    status: 500,
    headers: { "content-type": "text/html" },
    body: `<html><script>alert('pwned')</script><p title="x">boom</p></html>`,
    bodyBytes: 64,
    truncated: false,
    elapsedMs: 12.4
  },
  curl: `curl -X GET '${baseUrl}/pets?limit=-1' -H 'accept: application/json'`,
  scenarioId: "s-1",
  stepId: "s-1.0",
  provenance: {
    generator: "schema",
    rule: "negative.out-of-range",
    intent: "invalid",
    source: "/parameters/0/schema/minimum"
  }
}

const listPetsSchema: Finding = {
  id: "f-list-schema",
  operationId: "listPets",
  method: "get",
  path: "/pets",
  check: "response_schema_conformance",
  signature: "/0/name: must be string",
  count: 1,
  // The bell character (U+0007) is forbidden in XML 1.0 and must not reach the JUnit report.
  message: 'Response body /0/name: must be string, got "\u0007bell" & more',
  expected: "a body matching the 200 response schema",
  request: { method: "GET", url: `${baseUrl}/pets`, headers: { accept: "application/json" } },
  response: {
    status: 200,
    headers: { "content-type": "application/json" },
    body: `[{"id":1,"name":7}]`,
    bodyBytes: 19,
    truncated: false,
    elapsedMs: 8
  },
  curl: `curl -X GET '${baseUrl}/pets'`,
  scenarioId: "s-2",
  stepId: "s-2.0",
  provenance: { generator: "schema", rule: "positive.example", intent: "valid" }
}

const createPetAccepted: Finding = {
  id: "f-create-negative",
  operationId: "createPet",
  method: "post",
  path: "/pets",
  check: "negative_data_rejection",
  signature: "201",
  count: 1,
  message: "Invalid data was accepted with 201",
  expected: "a 4xx status for a name longer than 40 characters",
  request: {
    method: "POST",
    url: `${baseUrl}/pets`,
    headers: { "content-type": "application/json", "x-note": `say "hi" <b>` },
    body: `{"name":"<script>alert(1)</script>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}`
  },
  response: {
    status: 201,
    headers: { "content-type": "application/json", location: "/pets/9" },
    body: `{"id":9}`,
    bodyBytes: 8,
    truncated: false,
    elapsedMs: 20
  },
  curl: `curl -X POST '${baseUrl}/pets' -H 'content-type: application/json' --data-raw '{"name":"<script>alert(1)</script>xxx"}'`,
  scenarioId: "s-3",
  stepId: "s-3.0",
  provenance: {
    generator: "ai",
    rule: "ai.business-rule",
    intent: "business_rule",
    description: "A name longer than 40 characters is rejected",
    model: "gpt-4o-mini",
    promptVersion: "3",
    promptHash: "abc123",
    specText: "Pet names are at most 40 characters <strict>."
  }
}

const createPetBadGateway: Finding = {
  id: "f-create-502",
  operationId: "createPet",
  method: "post",
  path: "/pets",
  check: "not_a_server_error",
  signature: "502",
  count: 1,
  message: "Server error 502 for POST /pets",
  expected: "a status below 500",
  request: {
    method: "POST",
    url: `${baseUrl}/pets`,
    headers: { "content-type": "application/json" },
    body: `{"name":"Rex"}`
  },
  response: {
    status: 502,
    headers: {},
    body: "upstream failed",
    bodyBytes: 15,
    truncated: false,
    elapsedMs: 31
  },
  curl: `curl -X POST '${baseUrl}/pets' --data-raw '{"name":"Rex"}'`,
  scenarioId: "s-4",
  stepId: "s-4.0",
  provenance: { generator: "schema", rule: "positive.example", intent: "valid" }
}

const getPetTimeout: Finding = {
  id: "f-get-timeout",
  operationId: "getPet",
  method: "get",
  path: "/pets/{petId}",
  check: "max_response_time",
  signature: "timeout",
  count: 1,
  message: "No response within 5000 ms (timeout)",
  expected: "a response within 5000 ms",
  request: { method: "GET", url: `${baseUrl}/pets/1`, headers: {} },
  curl: `curl -X GET '${baseUrl}/pets/1'`,
  stepsBefore: [
    {
      request: { method: "POST", url: `${baseUrl}/pets`, headers: {}, body: `{"name":"<Rex>"}` },
      status: 201,
      curl: `curl -X POST '${baseUrl}/pets' --data-raw '{"name":"<Rex>"}'`
    }
  ],
  scenarioId: "s-5",
  stepId: "s-5.0",
  provenance: { generator: "schema", rule: "positive.example", intent: "valid" }
}

/** The findings in report order. */
export const findings = [
  listPetsServerError,
  listPetsSchema,
  createPetAccepted,
  createPetBadGateway,
  getPetTimeout
]

/** The fixture, decoded through the `RunReport` schema so that it is known to be a valid report. */
export const runReport: RunReport = Schema.decodeUnknownSync(RunReport)({
  run: {
    id: "run-2026-12-04-01",
    status: "failed",
    seed: 42,
    startedAt: "2026-12-04T20:00:00.000Z",
    finishedAt: "2026-12-04T20:00:12.500Z"
  },
  spec: { title: "Pet Store & Friends", version: "1.2.0", source: "examples/petstore.yaml" },
  baseUrl,
  summary: {
    operations: 3,
    skippedOperations: 1,
    scenarios: 14,
    steps: 37,
    findings: 5,
    notValidated: 3,
    failedRequests: 1,
    rateLimited: 1,
    flows: { run: 3, stopped: 1 },
    ai: {
      calls: 4,
      cacheHits: 2,
      promptTokens: 5120,
      completionTokens: 1310,
      estimatedCost: 0.0213,
      fallbacks: 1,
      stoppedReason: "budget reached"
    }
  },
  coverage: [
    {
      operationId: "listPets",
      method: "get",
      path: "/pets",
      statusesDeclared: ["200", "default"],
      statusesSeen: [200, 500],
      checks: {
        status_code_conformance: { passed: 6, failed: 0, notValidated: 0 },
        not_a_server_error: { passed: 4, failed: 2, notValidated: 0 },
        response_schema_conformance: { passed: 4, failed: 1, notValidated: 0 }
      }
    },
    {
      operationId: "createPet",
      method: "post",
      path: "/pets",
      statusesDeclared: ["201", "400", "4xx"],
      statusesSeen: [201, 409, 502],
      checks: {
        not_a_server_error: { passed: 4, failed: 1, notValidated: 0 },
        negative_data_rejection: { passed: 3, failed: 1, notValidated: 0 },
        response_schema_conformance: { passed: 0, failed: 0, notValidated: 3 }
      },
      notValidated: [
        {
          check: "response_schema_conformance",
          reason: "no schema is declared for 201 text/plain",
          count: 3
        }
      ]
    },
    {
      operationId: "getPet",
      method: "get",
      path: "/pets/{petId}",
      statusesDeclared: ["200", "404"],
      statusesSeen: [],
      checks: {
        not_a_server_error: { passed: 2, failed: 0, notValidated: 0 },
        max_response_time: { passed: 1, failed: 1, notValidated: 0 }
      }
    }
  ],
  findings,
  notes: [
    "Operation deletePet skipped: path parameter petId has no schema",
    "Model budget reached after 4 calls; the remaining operations used the <schema> generator"
  ]
})

const { ai: _ai, ...summaryWithoutAi } = runReport.summary

/** The fixture as a passed run: no findings, no failed verdicts, no model usage and no finish time. */
export const passedReport: RunReport = {
  ...runReport,
  run: { id: "run-passed", status: "passed", seed: 7, startedAt: "2026-12-04T20:00:00.000Z" },
  summary: { ...summaryWithoutAi, findings: 0 },
  coverage: runReport.coverage.map((operation) => ({
    ...operation,
    checks: Object.fromEntries(
      Object.entries(operation.checks).map(([check, verdicts]) => [
        check,
        { ...verdicts, passed: verdicts.passed + verdicts.failed, failed: 0 }
      ])
    )
  })),
  findings: []
}
