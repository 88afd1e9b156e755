/**
 * Evaluation of parsed assertions (see `expression.ts`) against a response. Evaluation reads values
 * only: no function of the host is reachable from an expression.
 */
import { Either } from "effect"
import { type ComparisonOperator, type Expression, ExpressionError } from "./expression.js"

/** The response that `$` refers to: status, headers (lowercase names) and body. */
export interface ExpressionContext {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON body; the body text for other media types; undefined without a body. */
  readonly body: unknown
}

/** The result of an assertion and the values it read, such as `len($.body.items) = 3`. */
export interface Evaluation {
  readonly result: boolean
  readonly values: ReadonlyArray<string>
}

// A path that leads nowhere. It equals `null` and itself, and every ordering with it is false.
const missing: unique symbol = Symbol("missing")
type Value = unknown

/**
 * Maximum number of expression nodes one evaluation visits. Nested `every`/`some` over large arrays
 * multiply, so the budget keeps a careless assertion from stalling the run.
 */
export const maxEvaluationSteps = 100_000

// Values listed in a failure message; longer traces only add noise.
const maxTracedValues = 8
const maxShownLength = 80

class EvaluationFailure {
  constructor(readonly message: string) {}
}

/** Formats a value for a message: JSON, cut to a readable length, or `missing`. */
export const showValue = (value: Value): string => {
  if (value === missing || value === undefined) return "missing"
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  return text.length > maxShownLength ? `${text.slice(0, maxShownLength)}…` : text
}

const isRecord = (value: Value): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const numericText = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/

// Header values are text, so a numeric string compares with a number as that number.
const alignNumbers = (left: Value, right: Value): [Value, Value] => {
  if (typeof left === "number" && typeof right === "string" && numericText.test(right))
    return [left, Number(right)]
  if (typeof right === "number" && typeof left === "string" && numericText.test(left))
    return [Number(left), right]
  return [left, right]
}

const deepEqual = (left: Value, right: Value): boolean => {
  if (left === right) return true
  if ((left === missing && right === null) || (left === null && right === missing)) return true
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => deepEqual(item, right[index]))
  }
  if (isRecord(left) && isRecord(right)) {
    const keys = Object.keys(left)
    return (
      keys.length === Object.keys(right).length &&
      keys.every((key) => key in right && deepEqual(left[key], right[key]))
    )
  }
  return false
}

const typeName = (value: Value): string => {
  if (value === missing) return "missing"
  if (value === null) return "null"
  if (Array.isArray(value)) return "array"
  return typeof value
}

const order = (operator: ComparisonOperator, left: Value, right: Value): boolean => {
  if (left === missing || right === missing) return false
  const bothNumbers = typeof left === "number" && typeof right === "number"
  const bothStrings = typeof left === "string" && typeof right === "string"
  if (!bothNumbers && !bothStrings) {
    throw new EvaluationFailure(`cannot order ${typeName(left)} and ${typeName(right)} with ${operator}`)
  }
  const a = left as number | string
  const b = right as number | string
  switch (operator) {
    case "<":
      return a < b
    case "<=":
      return a <= b
    case ">":
      return a > b
    default:
      return a >= b
  }
}

class Evaluator {
  readonly values: Array<string> = []
  // Inside `every`/`some` the same paths are read once per item; only the outer reads are traced.
  private quantifierDepth = 0
  private steps = 0

  constructor(private readonly context: ExpressionContext) {}

  private trace(text: string, value: Value): void {
    if (this.quantifierDepth > 0 || this.values.length >= maxTracedValues) return
    const entry = `${text} = ${showValue(value)}`
    if (!this.values.includes(entry)) this.values.push(entry)
  }

  private bool(expression: Expression, current: Value): boolean {
    const value = this.value(expression, current)
    if (typeof value !== "boolean")
      throw new EvaluationFailure(`expected true or false, got ${typeName(value)}`)
    return value
  }

  value(expression: Expression, current: Value): Value {
    this.steps++
    if (this.steps > maxEvaluationSteps) {
      throw new EvaluationFailure(`evaluation took more than ${maxEvaluationSteps} steps`)
    }
    switch (expression.kind) {
      case "literal":
        return expression.value
      case "path":
        return this.path(expression, current)
      case "call":
        return this.call(expression, current)
      case "not":
        return !this.bool(expression.operand, current)
      case "and":
        return this.bool(expression.left, current) && this.bool(expression.right, current)
      case "or":
        return this.bool(expression.left, current) || this.bool(expression.right, current)
      case "compare":
        return this.compare(expression, current)
    }
  }

  private path(expression: Expression & { readonly kind: "path" }, current: Value): Value {
    if (expression.root === "@" && this.quantifierDepth === 0) {
      throw new EvaluationFailure(`${expression.text}: '@' is only defined inside every() or some()`)
    }
    let value: Value = expression.root === "$" ? this.context : current
    expression.segments.forEach((segment, index) => {
      // Header names are recorded lowercase; `$.headers.X-Total` reads `x-total`.
      const key =
        expression.root === "$" &&
        index === 1 &&
        expression.segments[0] === "headers" &&
        typeof segment === "string"
          ? segment.toLowerCase()
          : segment
      if (Array.isArray(value) && typeof key === "number") value = key < value.length ? value[key] : missing
      else if (isRecord(value) && typeof key === "string" && Object.hasOwn(value, key)) value = value[key]
      else value = missing
      if (value === undefined) value = missing
    })
    this.trace(expression.text, value)
    return value
  }

  private call(expression: Expression & { readonly kind: "call" }, current: Value): Value {
    const [first, second] = expression.args
    if (first === undefined) throw new EvaluationFailure(`${expression.name}() needs an argument`)
    const subject = this.value(first, current)
    if (expression.name === "len") return this.length(expression.text, subject)

    if (second === undefined) throw new EvaluationFailure(`${expression.name}() needs a predicate`)
    if (!Array.isArray(subject)) {
      throw new EvaluationFailure(`${expression.name}() needs an array, got ${typeName(subject)}`)
    }
    return this.quantify(expression, subject, second)
  }

  private length(text: string, subject: Value): Value {
    let length: Value
    if (subject === missing) length = missing
    else if (Array.isArray(subject) || typeof subject === "string") length = subject.length
    else if (isRecord(subject)) length = Object.keys(subject).length
    else throw new EvaluationFailure(`len() needs an array, a string or an object, got ${typeName(subject)}`)
    this.trace(text, length)
    return length
  }

  private quantify(
    expression: Expression & { readonly kind: "call" },
    items: ReadonlyArray<unknown>,
    predicate: Expression
  ): boolean {
    this.quantifierDepth++
    const index =
      expression.name === "every"
        ? items.findIndex((item) => !this.bool(predicate, item))
        : items.findIndex((item) => this.bool(predicate, item))
    this.quantifierDepth--

    const result = expression.name === "every" ? index === -1 : index !== -1
    if (expression.name === "every" && index !== -1) {
      this.trace(`${expression.text} fails at index ${index}`, items[index])
    } else {
      this.trace(expression.text, result)
    }
    return result
  }

  private compare(expression: Expression & { readonly kind: "compare" }, current: Value): boolean {
    const [left, right] = alignNumbers(
      this.value(expression.left, current),
      this.value(expression.right, current)
    )
    switch (expression.operator) {
      case "==":
        return deepEqual(left, right)
      case "!=":
        return !deepEqual(left, right)
      default:
        return order(expression.operator, left, right)
    }
  }
}

/**
 * Evaluates a parsed assertion against a response, which must yield true or false. A type mismatch,
 * such as ordering a string against a number, `len` of a number or `!` of a non-boolean, is an
 * `ExpressionError` rather than a false result.
 */
export const evaluateExpression = (
  source: string,
  expression: Expression,
  context: ExpressionContext
): Either.Either<Evaluation, ExpressionError> => {
  const evaluator = new Evaluator(context)
  return Either.try({
    try: () => {
      const result = evaluator.value(expression, undefined)
      if (typeof result !== "boolean") {
        throw new EvaluationFailure(`the expression yields ${typeName(result)}, not true or false`)
      }
      return { result, values: evaluator.values }
    },
    catch: (error) =>
      new ExpressionError({
        expression: source,
        message: error instanceof EvaluationFailure ? error.message : String(error)
      })
  })
}
