import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { maxExpressionDepth, parseExpression } from "../../src/check/expression.js"
import {
  type ExpressionContext,
  evaluateExpression,
  maxEvaluationSteps
} from "../../src/check/expressionEval.js"

const context: ExpressionContext = {
  status: 200,
  headers: { "x-total-count": "3", "content-type": "application/json" },
  body: {
    total: 3,
    name: "box",
    items: [
      { id: 1, price: 5, tags: ["a"] },
      { id: 2, price: 7, tags: [] },
      { id: 3, price: 9, tags: ["b", "c"] }
    ],
    "odd key": true,
    empty: null
  }
}

const evaluate = (source: string) =>
  Either.flatMap(parseExpression(source), (expression) => evaluateExpression(source, expression, context))

const resultOf = (source: string): boolean => {
  const evaluation = evaluate(source)
  if (Either.isLeft(evaluation)) throw new Error(`${source}: ${evaluation.left.message}`)
  return evaluation.right.result
}

const errorOf = (source: string): string => {
  const evaluation = evaluate(source)
  return Either.isLeft(evaluation) ? evaluation.left.message : "no error"
}

describe("expression parsing", () => {
  it("parses paths, calls and operators", () => {
    const parsed = parseExpression("len($.body.items) > 0 && !($.status == 500)")
    expect(Either.map(parsed, (expression) => expression.kind)).toEqual(Either.right("and"))
  })

  it("parses bracket segments and negative numbers", () => {
    const parsed = parseExpression(`$.body["odd key"] == true && $.body.items[0].price > -1`)
    expect(Either.isRight(parsed)).toBe(true)
  })

  it("reports position of a stray token", () => {
    const parsed = parseExpression("$.status == 200 200")
    expect(Either.isLeft(parsed)).toBe(true)
    if (Either.isRight(parsed)) return
    expect(parsed.left.message).toBe("unexpected '200'")
    expect(parsed.left.position).toBe(16)
  })

  it("rejects unknown names and functions", () => {
    expect(errorOf("eval($.body)")).toBe("unknown name 'eval'")
    expect(errorOf("constructor")).toBe("unknown name 'constructor'")
  })

  it("rejects chained comparisons", () => {
    expect(errorOf("1 < 2 < 3")).toBe("unexpected '<'")
  })

  it("rejects bad syntax", () => {
    expect(errorOf("$.status ==")).toBe("unexpected end of expression")
    expect(errorOf("($.status == 200")).toBe("expected ')'")
    expect(errorOf('"open')).toBe("unterminated string")
    expect(errorOf("$.body.")).toBe("expected a name after '.'")
    expect(errorOf("$.status = 200")).toBe("unexpected character '='")
    expect(errorOf("len($.a, $.b)")).toBe("len() takes 1 argument")
    expect(errorOf("every($.body.items)")).toBe("every() takes 2 arguments")
  })

  it("limits nesting depth", () => {
    const deep = `${"(".repeat(maxExpressionDepth + 1)}true${")".repeat(maxExpressionDepth + 1)}`
    expect(errorOf(deep)).toContain("nested deeper than")
    const fine = `${"(".repeat(maxExpressionDepth - 1)}true${")".repeat(maxExpressionDepth - 1)}`
    expect(resultOf(fine)).toBe(true)
    expect(errorOf("!".repeat(1000) + "true")).toContain("nested deeper than")
  })

  it("limits length", () => {
    expect(errorOf(`${"true && ".repeat(400)}true`)).toContain("longer than")
  })
})

describe("expression evaluation", () => {
  it("reads status, headers and body", () => {
    expect(resultOf("$.status == 200")).toBe(true)
    expect(resultOf("$.headers.X-Total-Count == 3")).toBe(true)
    expect(resultOf("$.headers.x-total-count == len($.body.items)")).toBe(true)
    expect(resultOf(`$.body.name == "box"`)).toBe(true)
    expect(resultOf("$.body.items[2].tags[1] == 'c'")).toBe(true)
    expect(resultOf(`$.body["odd key"]`)).toBe(true)
  })

  it("compares with all operators", () => {
    expect(resultOf("$.body.total >= 3 && $.body.total <= 3 && $.body.total > 2 && $.body.total < 4")).toBe(
      true
    )
    expect(resultOf("$.body.total != 4")).toBe(true)
    expect(resultOf(`"abc" < "abd"`)).toBe(true)
    expect(resultOf("$.body.items[0] == $.body.items[0]")).toBe(true)
    expect(resultOf("$.body.items[0] == $.body.items[1]")).toBe(false)
  })

  it("combines with and, or, not", () => {
    expect(resultOf("$.status == 500 || $.status == 200")).toBe(true)
    expect(resultOf("!($.status == 200)")).toBe(false)
    expect(resultOf("true && false || true")).toBe(true)
  })

  it("treats missing values like null for equality", () => {
    expect(resultOf("$.body.nothing == null")).toBe(true)
    expect(resultOf("$.body.empty == null")).toBe(true)
    expect(resultOf("$.body.nothing > 1")).toBe(false)
    expect(resultOf("$.body.items[7].id == null")).toBe(true)
  })

  it("evaluates every and some", () => {
    expect(resultOf("every($.body.items, @.price > 0)")).toBe(true)
    expect(resultOf("every($.body.items, @.price > 6)")).toBe(false)
    expect(resultOf("some($.body.items, len(@.tags) == 2)")).toBe(true)
    expect(resultOf("some($.body.items, @.id == 9)")).toBe(false)
  })

  it("lists the values it read", () => {
    const evaluation = evaluate("len($.body.items) == $.body.total && every($.body.items, @.price > 6)")
    expect(Either.isRight(evaluation)).toBe(true)
    if (Either.isLeft(evaluation)) return
    expect(evaluation.right.result).toBe(false)
    expect(evaluation.right.values).toContain("len($.body.items) = 3")
    expect(evaluation.right.values).toContain("$.body.total = 3")
    expect(evaluation.right.values).toContain(
      'every($.body.items, @.price > 6) fails at index 0 = {"id":1,"price":5,"tags":["a"]}'
    )
  })

  it("reports type errors", () => {
    expect(errorOf(`$.body.name > 3`)).toBe("cannot order string and number with >")
    expect(errorOf("len($.body.total) > 0")).toBe("len() needs an array, a string or an object, got number")
    expect(errorOf("!$.body.total")).toBe("expected true or false, got number")
    expect(errorOf("$.body.total")).toBe("the expression yields number, not true or false")
    expect(errorOf("every($.body.name, true)")).toBe("every() needs an array, got string")
    expect(errorOf("@.id == 1")).toContain("only defined inside")
  })

  it("cannot reach prototype properties", () => {
    expect(resultOf("$.body.constructor == null")).toBe(true)
    expect(resultOf("$.body.__proto__ == null")).toBe(true)
  })
})

describe("expression budget", () => {
  it("stops nested quantifiers that explode", () => {
    const wide: ExpressionContext = {
      status: 200,
      headers: {},
      body: Array.from({ length: 100 }, (_, index) => index)
    }
    const source = "every($.body, every($.body, every($.body, @ >= 0)))"
    const evaluation = Either.flatMap(parseExpression(source), (expression) =>
      evaluateExpression(source, expression, wide)
    )
    expect(Either.isLeft(evaluation)).toBe(true)
    expect(Either.isLeft(evaluation) ? evaluation.left.message : "").toContain(
      `more than ${maxEvaluationSteps} steps`
    )
  })
})
