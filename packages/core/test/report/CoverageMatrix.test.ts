import { describe, expect, it } from "@effect/vitest"
import { coverageMatrixOf } from "../../src/report/index.js"
import { runReport } from "./fixture.js"

const matrix = coverageMatrixOf(runReport.coverage)

const cellAt = (operationId: string, column: string) => {
  const row = matrix.rows.find((candidate) => candidate.operationId === operationId)
  const index = matrix.columns.indexOf(column)
  expect(index).toBeGreaterThanOrEqual(0)
  return row?.cells[index]
}

describe("coverageMatrixOf", () => {
  it("orders the union of declared and seen statuses", () => {
    expect(matrix.columns).toEqual(["200", "201", "400", "404", "409", "4XX", "500", "502", "default"])
  })

  it("keeps one row per operation", () => {
    expect(matrix.rows.map((row) => row.operationId)).toEqual(["listPets", "createPet", "getPet"])
    for (const row of matrix.rows) expect(row.cells).toHaveLength(matrix.columns.length)
  })

  it.each([
    ["listPets", "200", "seen"],
    ["listPets", "500", "covered"],
    ["listPets", "default", "covered"],
    ["listPets", "201", "empty"],
    ["createPet", "201", "seen"],
    ["createPet", "400", "declared"],
    ["createPet", "409", "covered"],
    ["createPet", "4XX", "covered"],
    ["createPet", "502", "undeclared"],
    ["createPet", "default", "empty"],
    ["getPet", "200", "declared"],
    ["getPet", "404", "declared"],
    ["getPet", "500", "empty"]
  ])("marks %s %s as %s", (operationId, column, expected) => {
    expect(cellAt(operationId, column)).toBe(expected)
  })

  it("marks a range declared when nothing in it was seen", () => {
    const only = coverageMatrixOf([
      {
        operationId: "op",
        method: "get",
        path: "/x",
        statusesDeclared: ["2XX", "5XX"],
        statusesSeen: [200, 200 + 4],
        checks: {}
      }
    ])
    expect(only.columns).toEqual(["200", "204", "2XX", "5XX"])
    expect(only.rows[0]?.cells).toEqual(["covered", "covered", "covered", "declared"])
  })

  it("renders an empty matrix for no operations", () => {
    expect(coverageMatrixOf([])).toEqual({ columns: [], rows: [] })
  })
})
