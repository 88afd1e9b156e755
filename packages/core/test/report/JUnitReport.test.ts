import { describe, expect, it } from "@effect/vitest"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import { toJUnitReport } from "../../src/report/index.js"
import type { RunReport } from "../../src/run/Run.js"
import { passedReport, runReport } from "./fixture.js"

interface Attributes {
  readonly [name: string]: unknown
}

interface TestCase extends Attributes {
  readonly failure?: Attributes & { readonly "#text"?: string }
  readonly skipped?: Attributes
  readonly error?: Attributes & { readonly "#text"?: string }
  readonly "system-out"?: string
}

interface TestSuite extends Attributes {
  readonly testcase: ReadonlyArray<TestCase>
  readonly properties: { readonly property: ReadonlyArray<Attributes> }
  readonly "system-out"?: string
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseAttributeValue: false,
  parseTagValue: false,
  htmlEntities: true,
  trimValues: false,
  isArray: (name) => name === "testcase" || name === "testsuite" || name === "property"
})

const parseSuites = (report: RunReport) => {
  const xml = toJUnitReport(report)
  expect(XMLValidator.validate(xml)).toBe(true)
  const document = parser.parse(xml) as { testsuites: Attributes & { testsuite: ReadonlyArray<TestSuite> } }
  return { xml, suites: document.testsuites }
}

const onlySuite = (report: RunReport): TestSuite => {
  const suite = parseSuites(report).suites.testsuite[0]
  if (suite === undefined) throw new Error("the report has no testsuite")
  return suite
}

const findCase = (suite: TestSuite, classname: string, name: string): TestCase => {
  const found = suite.testcase.find(
    (testCase) => testCase["@_classname"] === classname && testCase["@_name"] === name
  )
  if (found === undefined) throw new Error(`no testcase ${classname} ${name}`)
  return found
}

describe("toJUnitReport", () => {
  it("left-out operation is a skipped case", () => {
    const reason = 'The $ref "#/components/schemas/Gone" points to nothing in the document'
    const plain = onlySuite(passedReport)
    const suite = onlySuite({ ...passedReport, leftOut: [{ operationId: "getBroken", reason }] })

    expect(findCase(suite, "getBroken", "left out").skipped?.["@_message"]).toBe(reason)
    expect(Number(suite["@_tests"])).toBe(Number(plain["@_tests"]) + 1)
    expect(Number(suite["@_skipped"])).toBe(Number(plain["@_skipped"]) + 1)
  })

  it("renders well-formed XML with one suite", () => {
    const { suites } = parseSuites(runReport)
    expect(suites.testsuite).toHaveLength(1)
    expect(suites["@_name"]).toBe("QAWave")
  })

  it("names the suite after the spec title", () => {
    expect(onlySuite(runReport)["@_name"]).toBe("Pet Store & Friends")
  })

  it("lists one testcase per operation and check", () => {
    const suite = onlySuite(runReport)
    const names = suite.testcase.map((testCase) => `${testCase["@_classname"]} ${testCase["@_name"]}`)
    expect(names).toEqual([
      "GET /pets not_a_server_error",
      "GET /pets status_code_conformance",
      "GET /pets response_schema_conformance",
      "POST /pets not_a_server_error",
      "POST /pets response_schema_conformance",
      "POST /pets negative_data_rejection",
      "GET /pets/{petId} not_a_server_error",
      "GET /pets/{petId} max_response_time"
    ])
  })

  it("counts tests, failures, skipped and time", () => {
    const { suites } = parseSuites(runReport)
    const suite = onlySuite(runReport)
    for (const element of [suites, suite]) {
      expect(element["@_tests"]).toBe("8")
      expect(element["@_failures"]).toBe("5")
      expect(element["@_skipped"]).toBe("1")
      expect(element["@_errors"]).toBe("0")
      expect(element["@_time"]).toBe("12.500")
    }
    expect(suite.testcase.filter((testCase) => testCase.failure !== undefined)).toHaveLength(5)
  })

  it("renders a failure with the finding's evidence", () => {
    const testCase = findCase(onlySuite(runReport), "GET /pets", "not_a_server_error")
    expect(testCase.failure?.["@_message"]).toBe("Server error 500 for GET /pets")
    expect(testCase.failure?.["@_type"]).toBe("check")
    const text = testCase.failure?.["#text"] ?? ""
    expect(text).toContain("Server error 500 for GET /pets (seen 2 times)")
    expect(text).toContain("expected: a status below 500")
    expect(text).toContain("status: 500")
    expect(text).toContain(`response body: <html><script>alert('pwned')</script><p title="x">boom</p></html>`)
    expect(text).toContain(
      "reproduce: curl -X GET 'http://127.0.0.1:4010/pets?limit=-1' -H 'accept: application/json'"
    )
  })

  it("cuts a long response body", () => {
    const long = "x".repeat(1_500)
    const withLongBody: RunReport = {
      ...runReport,
      findings: runReport.findings.map((finding) =>
        finding.response === undefined
          ? finding
          : { ...finding, response: { ...finding.response, body: long } }
      )
    }
    const testCase = findCase(onlySuite(withLongBody), "GET /pets", "not_a_server_error")
    const text = testCase.failure?.["#text"] ?? ""
    expect(text).toContain(`response body (first 1000 of 1500 characters): ${"x".repeat(1_000)}\n`)
  })

  it("renders a failure without a response", () => {
    const testCase = findCase(onlySuite(runReport), "GET /pets/{petId}", "max_response_time")
    expect(testCase.failure?.["#text"]).toContain("status: no response")
    expect(testCase.failure?.["#text"]).toContain(
      `step 1 before it (got 201): curl -X POST 'http://127.0.0.1:4010/pets' --data-raw '{"name":"<Rex>"}'`
    )
  })

  it("skips a check that validated nothing", () => {
    const testCase = findCase(onlySuite(runReport), "POST /pets", "response_schema_conformance")
    expect(testCase.skipped?.["@_message"]).toBe("not validated: no schema is declared for 201 text/plain")
    expect(testCase.failure).toBeUndefined()
  })

  it("renders a passing check as an empty testcase", () => {
    const testCase = findCase(onlySuite(runReport), "GET /pets", "status_code_conformance")
    expect(testCase.failure).toBeUndefined()
    expect(testCase.skipped).toBeUndefined()
  })

  it("notes responses a passing check could not judge", () => {
    const partly: RunReport = {
      ...runReport,
      coverage: runReport.coverage.map((operation) =>
        operation.operationId === "createPet"
          ? {
              ...operation,
              checks: {
                ...operation.checks,
                response_schema_conformance: { passed: 2, failed: 0, notValidated: 3 }
              }
            }
          : operation
      )
    }
    const testCase = findCase(onlySuite(partly), "POST /pets", "response_schema_conformance")
    expect(testCase.skipped).toBeUndefined()
    expect(testCase.failure).toBeUndefined()
    expect(testCase["system-out"]).toBe(
      "2 responses passed; 3 were not validated: no schema is declared for 201 text/plain"
    )
  })

  it("strips characters XML forbids and keeps escaped ones", () => {
    const { xml } = parseSuites(runReport)
    expect(xml).not.toContain("\u0007")
    const testCase = findCase(onlySuite(runReport), "GET /pets", "response_schema_conformance")
    expect(testCase.failure?.["@_message"]).toBe('Response body /0/name: must be string, got "bell" & more')
  })

  it("keeps line breaks in attributes", () => {
    const multiline = {
      ...runReport,
      findings: runReport.findings.map((finding) =>
        finding.id === "f-list-500" ? { ...finding, message: "line one\nline two" } : finding
      )
    }
    const testCase = findCase(onlySuite(multiline), "GET /pets", "not_a_server_error")
    expect(testCase.failure?.["@_message"]).toBe("line one\nline two")
  })

  it("adds a testcase for a finding outside coverage", () => {
    const orphan = { ...runReport, coverage: runReport.coverage.slice(0, 2) }
    const testCase = findCase(onlySuite(orphan), "GET /pets/{petId}", "max_response_time")
    expect(testCase.failure?.["@_message"]).toBe("No response within 5000 ms (timeout)")
  })

  it("records run properties and notes", () => {
    const suite = onlySuite(runReport)
    const properties = Object.fromEntries(
      suite.properties.property.map((property) => [property["@_name"], property["@_value"]])
    )
    expect(properties["run.id"]).toBe("run-2026-12-04-01")
    expect(properties["run.seed"]).toBe("42")
    expect(properties.baseUrl).toBe("http://127.0.0.1:4010")
    expect(suite["system-out"]).toContain("the remaining operations used the <schema> generator")
  })

  it("renders a passed run without failures", () => {
    const suite = onlySuite(passedReport)
    expect(suite["@_tests"]).toBe("8")
    expect(suite["@_failures"]).toBe("0")
    expect(suite["@_skipped"]).toBe("1")
    expect(suite["@_time"]).toBe("0.000")
  })

  it("fails a check with failed verdicts but no finding", () => {
    const suite = onlySuite({ ...runReport, findings: [] })
    expect(suite["@_failures"]).toBe("5")
    expect(findCase(suite, "GET /pets", "not_a_server_error").failure?.["@_message"]).toBe(
      "2 failed verdicts"
    )
  })

  it("adds an error testcase for an errored run", () => {
    const errored: RunReport = {
      ...runReport,
      run: { ...runReport.run, status: "errored", reason: "spec could not be loaded: <404>" }
    }
    const suite = onlySuite(errored)
    expect(suite["@_errors"]).toBe("1")
    expect(suite["@_tests"]).toBe("9")
    const testCase = findCase(suite, "qawave", "run")
    expect(testCase.error?.["@_message"]).toBe("spec could not be loaded: <404>")
    expect(testCase.error?.["@_type"]).toBe("run_errored")
  })
})
