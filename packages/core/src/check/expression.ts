/**
 * The assertion language of the `business_rule` check: a small expression language over a response,
 * parsed by hand and evaluated without `eval`, so an assertion the model wrote cannot run code.
 *
 *   expression  := or
 *   or          := and ("||" and)*
 *   and         := unary ("&&" unary)*
 *   unary       := "!" unary | comparison
 *   comparison  := primary (("==" | "!=" | "<" | "<=" | ">" | ">=") primary)?
 *   primary     := literal | path | call | "(" expression ")"
 *   call        := ("len" | "every" | "some") "(" expression ("," expression)? ")"
 *   path        := ("$" | "@") ("." name | "[" integer "]" | "[" string "]")*
 *   literal     := number | string | "true" | "false" | "null"
 *
 * `$` is the response (`$.status`, `$.headers.<name>`, `$.body...`); `@` is the current item inside
 * `every(<array>, <predicate>)` and `some(<array>, <predicate>)`. A name may contain `-`, so header
 * names read as written: `$.headers.x-total-count`.
 */
import { Data, Either } from "effect"

/** Error of an assertion that could not be parsed or evaluated, with the character offset when known. */
export class ExpressionError extends Data.TaggedError("ExpressionError")<{
  readonly expression: string
  readonly message: string
  readonly position?: number
}> {}

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">="

/** A parsed assertion. `text` is the source of the node, used to show evaluated values. */
export type Expression =
  | { readonly kind: "literal"; readonly value: null | boolean | number | string }
  | {
      readonly kind: "path"
      readonly root: "$" | "@"
      readonly segments: ReadonlyArray<string | number>
      readonly text: string
    }
  | {
      readonly kind: "call"
      readonly name: "len" | "every" | "some"
      readonly args: ReadonlyArray<Expression>
      readonly text: string
    }
  | { readonly kind: "not"; readonly operand: Expression }
  | { readonly kind: "and" | "or"; readonly left: Expression; readonly right: Expression }
  | {
      readonly kind: "compare"
      readonly operator: ComparisonOperator
      readonly left: Expression
      readonly right: Expression
    }

/** Maximum length of an assertion, in characters. */
export const maxExpressionLength = 2_000
/** Deepest nesting of parentheses, `!` and calls accepted, so parsing cannot exhaust the stack. */
export const maxExpressionDepth = 32

type Token =
  | { readonly kind: "number"; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: "string"; readonly value: string; readonly start: number; readonly end: number }
  | { readonly kind: "word"; readonly value: string; readonly start: number; readonly end: number }
  | {
      readonly kind: "path"
      readonly root: "$" | "@"
      readonly segments: ReadonlyArray<string | number>
      readonly start: number
      readonly end: number
    }
  | { readonly kind: "punct"; readonly value: string; readonly start: number; readonly end: number }

// Thrown only inside `parseExpression` and `tokenize`, whose callers wrap them in `Either.try`.
class ParseFailure {
  constructor(
    readonly message: string,
    readonly position: number
  ) {}
}

const escapes: Readonly<Record<string, string>> = { n: "\n", t: "\t" }
const punctuation = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", ","]
const nameChar = /[A-Za-z0-9_-]/
const wordChar = /[A-Za-z_]/
const numberAt = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/

const readString = (source: string, start: number): { value: string; end: number } => {
  const quote = source[start]
  let value = ""
  let index = start + 1
  while (index < source.length) {
    const char = source[index]
    if (char === quote) return { value, end: index + 1 }
    if (char === "\\") {
      const next = source[index + 1]
      if (next === undefined) break
      value += escapes[next] ?? next
      index += 2
      continue
    }
    value += char
    index++
  }
  throw new ParseFailure("unterminated string", start)
}

const readPath = (source: string, start: number): Token => {
  const root = source[start] as "$" | "@"
  const segments: Array<string | number> = []
  let index = start + 1
  for (;;) {
    const char = source[index]
    if (char === ".") {
      let end = index + 1
      while (end < source.length && nameChar.test(source[end] ?? "")) end++
      if (end === index + 1) throw new ParseFailure("expected a name after '.'", index)
      segments.push(source.slice(index + 1, end))
      index = end
    } else if (char === "[") {
      const inner = source[index + 1]
      if (inner === '"' || inner === "'") {
        const string = readString(source, index + 1)
        if (source[string.end] !== "]") throw new ParseFailure("expected ']'", string.end)
        segments.push(string.value)
        index = string.end + 1
      } else {
        const match = /^\d+/.exec(source.slice(index + 1))
        if (match === null || source[index + 1 + match[0].length] !== "]") {
          throw new ParseFailure("expected an index or a quoted name inside '[ ]'", index)
        }
        segments.push(Number(match[0]))
        index = index + 2 + match[0].length
      }
    } else {
      return { kind: "path", root, segments, start, end: index }
    }
  }
}

const tokenize = (source: string): ReadonlyArray<Token> => {
  const tokens: Array<Token> = []
  let index = 0
  while (index < source.length) {
    const char = source[index] ?? ""
    if (/\s/.test(char)) {
      index++
      continue
    }
    if (char === "$" || char === "@") {
      const token = readPath(source, index)
      tokens.push(token)
      index = token.end
      continue
    }
    if (char === '"' || char === "'") {
      const string = readString(source, index)
      tokens.push({ kind: "string", value: string.value, start: index, end: string.end })
      index = string.end
      continue
    }
    const number = numberAt.exec(source.slice(index))
    if (number !== null) {
      tokens.push({ kind: "number", value: Number(number[0]), start: index, end: index + number[0].length })
      index += number[0].length
      continue
    }
    if (wordChar.test(char)) {
      let end = index + 1
      while (end < source.length && /[A-Za-z0-9_]/.test(source[end] ?? "")) end++
      tokens.push({ kind: "word", value: source.slice(index, end), start: index, end })
      index = end
      continue
    }
    const operator = punctuation.find((candidate) => source.startsWith(candidate, index))
    if (operator === undefined) throw new ParseFailure(`unexpected character '${char}'`, index)
    tokens.push({ kind: "punct", value: operator, start: index, end: index + operator.length })
    index += operator.length
  }
  return tokens
}

const comparisonOperators = new Set<string>(["==", "!=", "<", "<=", ">", ">="])
const functionArity: Readonly<Record<string, number>> = { len: 1, every: 2, some: 2 }

class Parser {
  private index = 0
  private depth = 0

  constructor(
    private readonly source: string,
    private readonly tokens: ReadonlyArray<Token>
  ) {}

  parse(): Expression {
    const expression = this.parseOr()
    const rest = this.tokens[this.index]
    if (rest !== undefined)
      throw new ParseFailure(`unexpected '${this.source.slice(rest.start, rest.end)}'`, rest.start)
    return expression
  }

  private peekPunct(value: string): boolean {
    const token = this.tokens[this.index]
    return token?.kind === "punct" && token.value === value
  }

  private expectPunct(value: string): Token {
    const token = this.tokens[this.index]
    if (token?.kind !== "punct" || token.value !== value) {
      throw new ParseFailure(`expected '${value}'`, token?.start ?? this.source.length)
    }
    this.index++
    return token
  }

  private nested<A>(parse: () => A): A {
    this.depth++
    if (this.depth > maxExpressionDepth) {
      throw new ParseFailure(
        `nested deeper than ${maxExpressionDepth} levels`,
        this.tokens[this.index]?.start ?? 0
      )
    }
    const result = parse()
    this.depth--
    return result
  }

  private parseOr(): Expression {
    let left = this.parseAnd()
    while (this.peekPunct("||")) {
      this.index++
      left = { kind: "or", left, right: this.parseAnd() }
    }
    return left
  }

  private parseAnd(): Expression {
    let left = this.parseUnary()
    while (this.peekPunct("&&")) {
      this.index++
      left = { kind: "and", left, right: this.parseUnary() }
    }
    return left
  }

  private parseUnary(): Expression {
    if (this.peekPunct("!")) {
      this.index++
      return this.nested(() => ({ kind: "not", operand: this.parseUnary() }))
    }
    const left = this.parsePrimary()
    const token = this.tokens[this.index]
    if (token?.kind !== "punct" || !comparisonOperators.has(token.value)) return left
    this.index++
    const right = this.parsePrimary()
    return { kind: "compare", operator: token.value as ComparisonOperator, left, right }
  }

  private parsePrimary(): Expression {
    const token = this.tokens[this.index]
    if (token === undefined) throw new ParseFailure("unexpected end of expression", this.source.length)
    this.index++
    switch (token.kind) {
      case "number":
      case "string":
        return { kind: "literal", value: token.value }
      case "path":
        return {
          kind: "path",
          root: token.root,
          segments: token.segments,
          text: this.source.slice(token.start, token.end)
        }
      case "punct":
        if (token.value !== "(") throw new ParseFailure(`unexpected '${token.value}'`, token.start)
        return this.nested(() => {
          const inner = this.parseOr()
          this.expectPunct(")")
          return inner
        })
      case "word":
        return this.parseWord(token)
    }
  }

  private parseWord(token: Token & { readonly kind: "word" }): Expression {
    if (token.value === "true" || token.value === "false")
      return { kind: "literal", value: token.value === "true" }
    if (token.value === "null") return { kind: "literal", value: null }
    // `Object.hasOwn`, so a word such as `constructor` is not looked up on the prototype.
    const arity = Object.hasOwn(functionArity, token.value) ? functionArity[token.value] : undefined
    if (arity === undefined) throw new ParseFailure(`unknown name '${token.value}'`, token.start)
    return this.nested(() => {
      this.expectPunct("(")
      const args: Array<Expression> = [this.parseOr()]
      while (this.peekPunct(",")) {
        this.index++
        args.push(this.parseOr())
      }
      const close = this.expectPunct(")")
      if (args.length !== arity) {
        throw new ParseFailure(
          `${token.value}() takes ${arity} argument${arity === 1 ? "" : "s"}`,
          token.start
        )
      }
      return {
        kind: "call",
        name: token.value as "len" | "every" | "some",
        args,
        text: this.source.slice(token.start, close.end)
      }
    })
  }
}

/** Parses an assertion, or returns an `ExpressionError` with the position of the problem. */
export const parseExpression = (source: string): Either.Either<Expression, ExpressionError> => {
  if (source.length > maxExpressionLength) {
    return Either.left(
      new ExpressionError({ expression: source, message: `longer than ${maxExpressionLength} characters` })
    )
  }
  return Either.try({
    try: () => new Parser(source, tokenize(source)).parse(),
    catch: (error) =>
      error instanceof ParseFailure
        ? new ExpressionError({ expression: source, message: error.message, position: error.position })
        : new ExpressionError({ expression: source, message: String(error) })
  })
}
