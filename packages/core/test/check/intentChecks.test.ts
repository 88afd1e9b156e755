import { describe, expect, it } from "@effect/vitest"
import {
  ignoredAuth,
  negativeDataRejection,
  positiveDataAcceptance,
  useAfterFree
} from "../../src/check/intentChecks.js"
import {
  makeExchange,
  makeInput,
  makeOperation,
  makeScenario,
  makeStep,
  messageOf,
  signatureOf
} from "./fixtures.js"

const respondedWith = (status: number) => makeExchange({ status })

describe("negative_data_rejection", () => {
  const scenario = makeScenario("invalid", "negative.type")

  it("fails invalid input receiving 2xx", () => {
    const outcome = negativeDataRejection.judge(
      makeInput({ scenario, step: makeStep({ expect: "4xx" }), exchange: respondedWith(201) })
    )
    expect(outcome.status).toBe("failed")
    expect(signatureOf(outcome)).toBe("negative.type")
  })

  it("passes invalid input receiving 4xx", () => {
    const outcome = negativeDataRejection.judge(
      makeInput({ scenario, step: makeStep({ expect: "4xx" }), exchange: respondedWith(422) })
    )
    expect(outcome.status).toBe("passed")
  })

  it("applies to an invalid scenario step that expects any", () => {
    const outcome = negativeDataRejection.judge(
      makeInput({ scenario, step: makeStep({ expect: "any" }), exchange: respondedWith(200) })
    )
    expect(outcome.status).toBe("failed")
  })

  it("skips a setup step and valid scenarios", () => {
    expect(
      negativeDataRejection.judge(
        makeInput({ scenario, step: makeStep({ expect: "2xx" }), exchange: respondedWith(200) })
      ).status
    ).toBe("skipped")
    expect(
      negativeDataRejection.judge(
        makeInput({
          scenario: makeScenario("valid"),
          step: makeStep({ expect: "2xx" }),
          exchange: respondedWith(200)
        })
      ).status
    ).toBe("skipped")
  })
})

describe("positive_data_acceptance", () => {
  const step = makeStep({ expect: "2xx" })
  const judge = (
    status: number,
    options: { bound?: boolean; intent?: "valid" | "flow" | "edge_case" } = {}
  ) =>
    positiveDataAcceptance.judge(
      makeInput({
        scenario: makeScenario(options.intent ?? "valid"),
        step:
          options.bound === true
            ? makeStep({ expect: "2xx", bind: [{ variable: "id", location: "path", target: "id" }] })
            : step,
        exchange: respondedWith(status)
      })
    )

  it("fails valid input receiving 400", () => {
    const outcome = judge(400)
    expect(outcome.status).toBe("failed")
    expect(signatureOf(outcome)).toBe("400")
  })

  it("passes a 2xx", () => {
    expect(judge(200).status).toBe("passed")
  })

  it("skips 401, 403 and 429", () => {
    expect(judge(401).status).toBe("skipped")
    expect(judge(403).status).toBe("skipped")
    expect(judge(429).status).toBe("skipped")
  })

  it("fails 404 only on a bound step", () => {
    expect(judge(404).status).toBe("skipped")
    const outcome = judge(404, { bound: true, intent: "flow" })
    expect(outcome.status).toBe("failed")
    expect(messageOf(outcome)).toContain("using id")
  })

  it("skips a conflict in any step", () => {
    expect(judge(409).status).toBe("skipped")
    expect(judge(409, { bound: true, intent: "flow" }).status).toBe("skipped")
  })

  it("skips other intents", () => {
    expect(judge(400, { intent: "edge_case" }).status).toBe("skipped")
  })
})

describe("ignored_auth", () => {
  const secured = makeOperation({ security: [[{ scheme: "bearer", scopes: [] }]] })
  const judge = (auth: "none" | "invalid" | "default", status: number, operation = secured) =>
    ignoredAuth.judge(makeInput({ operation, step: makeStep({ auth }), exchange: respondedWith(status) }))

  it("fails a 2xx without credentials", () => {
    const outcome = judge("none", 200)
    expect(outcome.status).toBe("failed")
    expect(signatureOf(outcome)).toBe("auth none")
  })

  it("fails a 2xx with invalid credentials", () => {
    expect(judge("invalid", 204).status).toBe("failed")
  })

  it("passes 401 and 403", () => {
    expect(judge("none", 401).status).toBe("passed")
    expect(judge("invalid", 403).status).toBe("passed")
  })

  it("skips optional credentials", () => {
    const optional = makeOperation({ security: [[], [{ scheme: "bearer", scopes: [] }]] })
    expect(judge("none", 200, optional).status).toBe("skipped")
  })

  it("skips open operations and default credentials", () => {
    expect(judge("none", 200, makeOperation()).status).toBe("skipped")
    expect(judge("default", 200).status).toBe("skipped")
  })
})

describe("use_after_free", () => {
  const judge = (status: number, afterDelete = true, lastDeleteStatus: number | undefined = 204) =>
    useAfterFree.judge({
      ...makeInput({ step: makeStep({ afterDelete }), exchange: respondedWith(status) }),
      ...(lastDeleteStatus === undefined ? {} : { lastDeleteStatus })
    })

  it("fails a 2xx after delete", () => {
    const outcome = judge(200)
    expect(outcome.status).toBe("failed")
    expect(signatureOf(outcome)).toBe("2xx after delete")
  })

  it("passes 404 and 410", () => {
    expect(judge(404).status).toBe("passed")
    expect(judge(410).status).toBe("passed")
  })

  it("skips other steps", () => {
    expect(judge(200, false).status).toBe("skipped")
  })

  it("skips after a refused delete", () => {
    expect(judge(200, true, 401).status).toBe("skipped")
    expect(judge(200, true, 403).status).toBe("skipped")
    const noDelete = useAfterFree.judge(
      makeInput({ step: makeStep({ afterDelete: true }), exchange: respondedWith(200) })
    )
    expect(noDelete.status).toBe("skipped")
  })
})
