/**
 * Command-line parsing: values with a leading minus sign, misspelt options and their suggestions.
 */
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { closestName, parseCommandArgs } from "../../src/cli/args.js"
import { parseRunInvocation } from "../../src/cli/runOptions.js"

const options = {
  seed: { type: "string" },
  "base-url": { type: "string" },
  "no-progress": { type: "boolean" }
} as const

const parse = (argv: ReadonlyArray<string>) =>
  Effect.runSync(Effect.either(parseCommandArgs(argv, options, "run")))

describe("parseCommandArgs", () => {
  it("negative value after option", () => {
    const parsed = Either.getOrThrow(parse(["--seed", "-5", "spec.yaml"]))

    expect(parsed.values.seed).toBe("-5")
    expect(parsed.positionals).toEqual(["spec.yaml"])
  })

  it("dash after boolean stays option", () => {
    const parsed = parse(["--no-progress", "-5"])

    expect(Either.isLeft(parsed)).toBe(true)
  })

  it("misspelt option suggested", () => {
    const parsed = parse(["--base-ur", "http://127.0.0.1:1"])

    expect(Either.isLeft(parsed)).toBe(true)
    if (Either.isLeft(parsed)) {
      expect(parsed.left.message).toContain("unknown option --base-ur")
      expect(parsed.left.message).toContain("did you mean --base-url?")
      expect(parsed.left.message).toContain("see qawave run --help")
    }
  })

  it("unrelated option gets no suggestion", () => {
    const parsed = parse(["--frobnicate"])

    expect(Either.isLeft(parsed)).toBe(true)
    if (Either.isLeft(parsed)) {
      expect(parsed.left.message).toContain("unknown option --frobnicate")
      expect(parsed.left.message).not.toContain("did you mean")
    }
  })
})

describe("closestName", () => {
  const names = ["base-url", "bearer-token", "report-json", "report-junit", "seed"]

  it("typo finds option", () => {
    expect(closestName("report-jsno", names)).toBe("report-json")
    expect(closestName("sed", names)).toBe("seed")
  })

  it("swapped letters find the option", () => {
    const options = ["ai-mode", "ai-model", "ai-max-cost"]

    expect(closestName("ai-modle", options)).toBe("ai-model")
    expect(closestName("ai-mdoe", options)).toBe("ai-mode")
  })

  it("distant name finds none", () => {
    expect(closestName("timeout", names)).toBeUndefined()
  })
})

describe("run invocation", () => {
  it("negative seed accepted", () => {
    const invocation = Effect.runSync(
      parseRunInvocation(["spec.yaml", "--base-url", "http://127.0.0.1:1", "--seed", "-5"], {})
    )

    expect(invocation === "help" ? undefined : invocation.config.seed).toBe(-5)
  })

  it("secret sources named", () => {
    const env = { QAWAVE_BEARER_TOKEN: "token", QAWAVE_API_KEY_ADMINKEY: "key" }
    const argv = ["spec.yaml", "--base-url", "http://127.0.0.1:1", "--api-key", "other=value"]
    const invocation = Effect.runSync(parseRunInvocation(argv, env))

    expect(invocation === "help" ? [] : invocation.secretSources).toEqual([
      "QAWAVE_BEARER_TOKEN",
      "QAWAVE_API_KEY_ADMINKEY",
      "--api-key other"
    ])
  })
})
