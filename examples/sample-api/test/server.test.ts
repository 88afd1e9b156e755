import { afterEach, describe, expect, it } from "vitest"
import { SLOW_SEARCH_DELAY_MS } from "../src/pets.js"
import {
  addressSchema,
  catSchema,
  dogSchema,
  orderSchema,
  parameterSchemas,
  petSchema
} from "../src/schemas.js"
import { type SampleApi, startSampleApi } from "../src/server.js"
import { type Schema, validateRequestValue } from "../src/validation.js"
import {
  conformanceProblems,
  deref,
  operationParameters,
  operations,
  type Received,
  specDocument,
  validateSpecFile
} from "./spec-conformance.js"

const bearer = { Authorization: "Bearer demo-token" }
const wrongBearer = { Authorization: "Bearer not-the-token" }
const admin = { "X-Admin-Key": "demo-admin" }

const running: Array<SampleApi> = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((api) => api.close()))
})

const start = async (bugs: boolean): Promise<SampleApi> => {
  const api = await startSampleApi({ bugs })
  running.push(api)
  return api
}

interface Call {
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  /** Sent as JSON with `Content-Type: application/json`. */
  readonly json?: unknown
  /** Sent as is; set `Content-Type` in `headers`. */
  readonly body?: string
}

interface Result extends Received {
  readonly json: unknown
  readonly elapsedMs: number
}

const send = async (api: SampleApi, path: string, call: Call = {}): Promise<Result> => {
  const headers: Record<string, string> = { ...call.headers }
  let body = call.body
  if (call.json !== undefined) {
    headers["Content-Type"] = "application/json"
    body = JSON.stringify(call.json)
  }
  const started = performance.now()
  const response = await fetch(`${api.baseUrl}${path}`, {
    method: call.method ?? "GET",
    headers,
    ...(body === undefined ? {} : { body })
  })
  const text = await response.text()
  const elapsedMs = performance.now() - started
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json, elapsedMs }
}

const cat = { kind: "cat", name: "Luna", price: 150, tags: ["calm"], indoor: true }
const dog = { kind: "dog", name: "Max", price: 420.5, notes: null, breed: "Beagle", goodWithChildren: true }
const shipTo = {
  name: "Ada Park",
  street: "1 Main Street",
  city: "Springfield",
  postalCode: "12345",
  country: "US"
}
const order = { petId: 1, quantity: 2, shipTo, paymentToken: "tok_4f9a8b7c6d", note: "Leave at the door." }

/** One request of the conformance sweep and the status the spec requires for it. */
interface SweepCase {
  readonly name: string
  readonly operationId: string
  readonly path: string
  readonly call?: Call
  readonly status: number
  /** The planted bug that changes this case's response, when one does. */
  readonly bug?: number
}

const post = (json: unknown, headers: Record<string, string> = bearer): Call => ({
  method: "POST",
  headers,
  json
})
const put = (json: unknown, headers: Record<string, string> = bearer): Call => ({
  method: "PUT",
  headers,
  json
})

const sweep: ReadonlyArray<SweepCase> = [
  // listPets
  { name: "list pets with defaults", operationId: "listPets", path: "/pets", status: 200 },
  { name: "list pets page", operationId: "listPets", path: "/pets?limit=2&offset=1", status: 200 },
  { name: "list pets limit 1", operationId: "listPets", path: "/pets?limit=1", status: 200 },
  { name: "list pets limit 100", operationId: "listPets", path: "/pets?limit=100", status: 200, bug: 1 },
  { name: "list pets filtered", operationId: "listPets", path: "/pets?status=sold&kind=cat", status: 200 },
  { name: "list pets by tags", operationId: "listPets", path: "/pets?tags=playful&tags=calm", status: 200 },
  { name: "list pets limit 0", operationId: "listPets", path: "/pets?limit=0", status: 400 },
  { name: "list pets limit 101", operationId: "listPets", path: "/pets?limit=101", status: 400 },
  { name: "list pets limit text", operationId: "listPets", path: "/pets?limit=ten", status: 400 },
  { name: "list pets limit twice", operationId: "listPets", path: "/pets?limit=1&limit=2", status: 400 },
  { name: "list pets offset -1", operationId: "listPets", path: "/pets?offset=-1", status: 400 },
  { name: "list pets unknown status", operationId: "listPets", path: "/pets?status=lost", status: 400 },
  { name: "list pets unknown kind", operationId: "listPets", path: "/pets?kind=bird", status: 400 },
  { name: "list pets empty tag", operationId: "listPets", path: "/pets?tags=", status: 400 },
  {
    name: "list pets six tags",
    operationId: "listPets",
    path: "/pets?tags=a&tags=b&tags=c&tags=d&tags=e&tags=f",
    status: 400
  },
  // searchPets
  { name: "search pets", operationId: "searchPets", path: "/pets/search?q=to", status: 200, bug: 7 },
  { name: "search pets without q", operationId: "searchPets", path: "/pets/search", status: 400 },
  {
    name: "search pets long q",
    operationId: "searchPets",
    path: `/pets/search?q=${"a".repeat(41)}`,
    status: 400
  },
  // createPet
  { name: "create cat", operationId: "createPet", path: "/pets", call: post(cat), status: 201, bug: 3 },
  { name: "create dog", operationId: "createPet", path: "/pets", call: post(dog), status: 201, bug: 3 },
  {
    name: "create pet at maximums",
    operationId: "createPet",
    path: "/pets",
    call: post({ ...cat, name: "🐈".repeat(40), price: 10000, tags: ["a", "b", "c", "d", "e"] }),
    status: 201,
    bug: 3
  },
  {
    name: "create pet lowercase scheme",
    operationId: "createPet",
    path: "/pets",
    call: post(cat, { Authorization: "bearer demo-token" }),
    status: 201,
    bug: 3
  },
  {
    name: "create pet without token",
    operationId: "createPet",
    path: "/pets",
    call: post(cat, {}),
    status: 401
  },
  {
    name: "create pet wrong token",
    operationId: "createPet",
    path: "/pets",
    call: post(cat, wrongBearer),
    status: 401
  },
  {
    name: "create pet empty body",
    operationId: "createPet",
    path: "/pets",
    call: { method: "POST", headers: { ...bearer, "Content-Type": "application/json" } },
    status: 400
  },
  {
    name: "create pet malformed JSON",
    operationId: "createPet",
    path: "/pets",
    call: { method: "POST", headers: { ...bearer, "Content-Type": "application/json" }, body: '{"kind":' },
    status: 400
  },
  {
    name: "create pet as text",
    operationId: "createPet",
    path: "/pets",
    call: { method: "POST", headers: { ...bearer, "Content-Type": "text/plain" }, body: JSON.stringify(cat) },
    status: 415
  },
  ...(
    [
      ["missing name", { kind: "cat", price: 1 }],
      ["empty name", { ...cat, name: "" }],
      ["name of 41", { ...cat, name: "n".repeat(41) }],
      ["price below 0", { ...cat, price: -1 }],
      ["price above maximum", { ...cat, price: 10000.5 }],
      ["price as string", { ...cat, price: "12" }],
      ["unknown kind", { ...cat, kind: "bird" }],
      ["missing kind", { name: "Luna", price: 1 }],
      ["extra property", { ...cat, color: "black" }],
      ["read-only id", { ...cat, id: 7 }],
      ["read-only createdAt", { ...cat, createdAt: "2026-01-01T00:00:00.000Z" }],
      ["cat property on dog", { ...dog, indoor: true }],
      ["duplicate tags", { ...cat, tags: ["calm", "calm"] }],
      ["six tags", { ...cat, tags: ["a", "b", "c", "d", "e", "f"] }],
      ["empty tag", { ...cat, tags: [""] }],
      ["notes of 201", { ...cat, notes: "n".repeat(201) }],
      ["unknown status", { ...cat, status: "lost" }],
      ["array body", [cat]],
      ["null body", null]
    ] as const
  ).map(
    ([label, json]): SweepCase => ({
      name: `create pet ${label}`,
      operationId: "createPet",
      path: "/pets",
      call: post(json),
      status: 422
    })
  ),
  // getPet
  { name: "get pet", operationId: "getPet", path: "/pets/1", status: 200 },
  { name: "get unknown pet", operationId: "getPet", path: "/pets/999", status: 404 },
  { name: "get pet huge id", operationId: "getPet", path: "/pets/99999999999999999999", status: 404 },
  { name: "get pet text id", operationId: "getPet", path: "/pets/abc", status: 400 },
  { name: "get pet id 0", operationId: "getPet", path: "/pets/0", status: 400 },
  { name: "get pet fractional id", operationId: "getPet", path: "/pets/1.5", status: 400 },
  // updatePet
  { name: "update pet", operationId: "updatePet", path: "/pets/2", call: put(dog), status: 200 },
  {
    name: "update pet without token",
    operationId: "updatePet",
    path: "/pets/2",
    call: put(dog, {}),
    status: 401,
    bug: 5
  },
  {
    name: "update pet wrong token",
    operationId: "updatePet",
    path: "/pets/2",
    call: put(dog, wrongBearer),
    status: 401,
    bug: 5
  },
  { name: "update unknown pet", operationId: "updatePet", path: "/pets/999", call: put(dog), status: 404 },
  { name: "update pet text id", operationId: "updatePet", path: "/pets/abc", call: put(dog), status: 400 },
  {
    name: "update pet invalid body",
    operationId: "updatePet",
    path: "/pets/2",
    call: put({ ...dog, price: 10001 }),
    status: 422
  },
  // deletePet
  {
    name: "delete pet",
    operationId: "deletePet",
    path: "/pets/5",
    call: { method: "DELETE", headers: bearer },
    status: 204
  },
  {
    name: "delete pet without token",
    operationId: "deletePet",
    path: "/pets/5",
    call: { method: "DELETE" },
    status: 401
  },
  {
    name: "delete unknown pet",
    operationId: "deletePet",
    path: "/pets/999",
    call: { method: "DELETE", headers: bearer },
    status: 404
  },
  {
    name: "delete pet text id",
    operationId: "deletePet",
    path: "/pets/abc",
    call: { method: "DELETE", headers: bearer },
    status: 400
  },
  // listOrders
  { name: "list orders", operationId: "listOrders", path: "/orders", call: { headers: bearer }, status: 200 },
  {
    name: "list orders filtered",
    operationId: "listOrders",
    path: "/orders?status=approved&limit=100",
    call: { headers: bearer },
    status: 200
  },
  {
    name: "list orders limit 0",
    operationId: "listOrders",
    path: "/orders?limit=0",
    call: { headers: bearer },
    status: 400,
    bug: 2
  },
  {
    name: "list orders unknown status",
    operationId: "listOrders",
    path: "/orders?status=lost",
    call: { headers: bearer },
    status: 400,
    bug: 2
  },
  { name: "list orders without token", operationId: "listOrders", path: "/orders", status: 401 },
  // createOrder
  { name: "create order", operationId: "createOrder", path: "/orders", call: post(order), status: 201 },
  {
    name: "create order quantity 10",
    operationId: "createOrder",
    path: "/orders",
    call: post({ ...order, quantity: 10, note: null }),
    status: 201
  },
  {
    name: "create order quantity 11",
    operationId: "createOrder",
    path: "/orders",
    call: post({ ...order, quantity: 11 }),
    status: 422,
    bug: 4
  },
  {
    name: "create order without token",
    operationId: "createOrder",
    path: "/orders",
    call: post(order, {}),
    status: 401
  },
  ...(
    [
      ["quantity 0", { ...order, quantity: 0 }],
      ["fractional quantity", { ...order, quantity: 1.5 }],
      ["short postal code", { ...order, shipTo: { ...shipTo, postalCode: "1234" } }],
      ["unknown country", { ...order, shipTo: { ...shipTo, country: "XX" } }],
      ["extra address property", { ...order, shipTo: { ...shipTo, floor: 2 } }],
      ["missing shipTo", { ...order, shipTo: undefined }],
      ["invalid payment token", { ...order, paymentToken: "card-4242" }],
      ["missing payment token", { ...order, paymentToken: undefined }],
      ["unknown pet", { ...order, petId: 999 }],
      ["read-only status", { ...order, status: "placed" }],
      ["read-only total", { ...order, total: 1 }],
      ["note of 201", { ...order, note: "n".repeat(201) }]
    ] as const
  ).map(
    ([label, json]): SweepCase => ({
      name: `create order ${label}`,
      operationId: "createOrder",
      path: "/orders",
      call: post(json),
      status: 422
    })
  ),
  // getOrder
  {
    name: "get order",
    operationId: "getOrder",
    path: "/orders/1",
    call: { headers: bearer },
    status: 200,
    bug: 8
  },
  {
    name: "get unknown order",
    operationId: "getOrder",
    path: "/orders/999",
    call: { headers: bearer },
    status: 404
  },
  {
    name: "get order text id",
    operationId: "getOrder",
    path: "/orders/abc",
    call: { headers: bearer },
    status: 400
  },
  { name: "get order without token", operationId: "getOrder", path: "/orders/1", status: 401 },
  // deleteOrder
  {
    name: "delete order",
    operationId: "deleteOrder",
    path: "/orders/2",
    call: { method: "DELETE", headers: admin },
    status: 204
  },
  {
    name: "delete order without key",
    operationId: "deleteOrder",
    path: "/orders/2",
    call: { method: "DELETE" },
    status: 401
  },
  {
    name: "delete order with bearer only",
    operationId: "deleteOrder",
    path: "/orders/2",
    call: { method: "DELETE", headers: bearer },
    status: 401
  },
  {
    name: "delete order wrong key",
    operationId: "deleteOrder",
    path: "/orders/2",
    call: { method: "DELETE", headers: { "X-Admin-Key": "guess" } },
    status: 401
  },
  {
    name: "delete unknown order",
    operationId: "deleteOrder",
    path: "/orders/999",
    call: { method: "DELETE", headers: admin },
    status: 404
  },
  {
    name: "delete order text id",
    operationId: "deleteOrder",
    path: "/orders/abc",
    call: { method: "DELETE", headers: admin },
    status: 400
  }
]

const expectConformingAnswer = async (bugs: boolean, sweepCase: SweepCase): Promise<void> => {
  const api = await start(bugs)
  const result = await send(api, sweepCase.path, sweepCase.call)

  expect(result.status).toBe(sweepCase.status)
  expect(conformanceProblems(sweepCase.operationId, result)).toEqual([])
  if (result.status >= 400) expect(result.json).toMatchObject({ code: expect.stringMatching(/^[a-z_]+$/) })
  if (result.status === 204) expect(result.text).toBe("")
}

describe("openapi.yaml", () => {
  it("is OpenAPI 3.1 with an operationId on every operation", () => {
    expect(specDocument.openapi).toBe("3.1.0")
    const routes = [...operations.values()].map(({ method, path }) => `${method.toUpperCase()} ${path}`)

    expect(routes.sort()).toEqual(
      [
        "GET /pets",
        "POST /pets",
        "GET /pets/search",
        "GET /pets/{petId}",
        "PUT /pets/{petId}",
        "DELETE /pets/{petId}",
        "GET /orders",
        "POST /orders",
        "GET /orders/{orderId}",
        "DELETE /orders/{orderId}"
      ].sort()
    )
    expect([...operations.keys()].sort()).toEqual(
      [
        "createOrder",
        "createPet",
        "deleteOrder",
        "deletePet",
        "getOrder",
        "getPet",
        "listOrders",
        "listPets",
        "searchPets",
        "updatePet"
      ].sort()
    )
  })

  it("passes OpenAPI 3.1 validation", async () => {
    const result = await validateSpecFile()

    expect(result.valid).toBe(true)
    expect(result.warnings).toEqual([])
  })

  it("declares the security the server enforces", () => {
    const securityOf = (operationId: string): unknown =>
      operations.get(operationId)?.operation.security ?? specDocument.security

    expect(specDocument.security).toEqual([{ bearerAuth: [] }])
    for (const publicRead of ["listPets", "searchPets", "getPet"]) expect(securityOf(publicRead)).toEqual([])
    for (const write of ["createPet", "updatePet", "deletePet", "listOrders", "createOrder", "getOrder"]) {
      expect(securityOf(write)).toEqual([{ bearerAuth: [] }])
    }
    expect(securityOf("deleteOrder")).toEqual([{ adminKey: [] }])
  })

  it("has component schemas equal to the server's", () => {
    const schemas = (specDocument.components as Record<string, Record<string, unknown>>).schemas ?? {}
    const expected: Record<string, Schema> = {
      Pet: petSchema,
      Cat: catSchema,
      Dog: dogSchema,
      Address: addressSchema,
      Order: orderSchema
    }
    for (const [name, schema] of Object.entries(expected)) {
      expect(withoutAnnotations(schemas[name]), name).toEqual(schema)
    }
  })

  it("has parameter schemas equal to the server's", () => {
    const expected: Record<string, Record<string, Schema>> = {
      listPets: {
        limit: parameterSchemas.Limit,
        offset: parameterSchemas.Offset,
        status: parameterSchemas.PetStatus,
        kind: parameterSchemas.PetKind,
        tags: parameterSchemas.Tags
      },
      searchPets: { q: parameterSchemas.SearchText, kind: parameterSchemas.PetKind },
      getPet: { petId: parameterSchemas.PetId },
      updatePet: { petId: parameterSchemas.PetId },
      deletePet: { petId: parameterSchemas.PetId },
      listOrders: { limit: parameterSchemas.Limit, status: parameterSchemas.OrderStatus },
      createOrder: {},
      createPet: {},
      getOrder: { orderId: parameterSchemas.OrderId },
      deleteOrder: { orderId: parameterSchemas.OrderId }
    }
    for (const [operationId, parameters] of Object.entries(expected)) {
      const declared = Object.fromEntries(
        operationParameters(operationId).map((parameter) => [
          parameter.name,
          withoutAnnotations(parameter.schema)
        ])
      )
      expect(declared, operationId).toEqual(parameters)
    }
    const tags = deref((specDocument.components as Record<string, Record<string, unknown>>).parameters?.Tags)
    expect([tags.style, tags.explode]).toEqual(["form", true])
  })

  it("has request examples that the server accepts", () => {
    const schemasByOperation: Record<string, Schema> = {
      createPet: petSchema,
      updatePet: petSchema,
      createOrder: orderSchema
    }
    for (const [operationId, schema] of Object.entries(schemasByOperation)) {
      const content = deref(operations.get(operationId)?.operation.requestBody).content as Record<
        string,
        unknown
      >
      const examples = deref(content["application/json"]).examples as Record<string, { value: unknown }>
      expect(Object.keys(examples).length, operationId).toBeGreaterThan(0)
      for (const [name, example] of Object.entries(examples)) {
        expect(validateRequestValue(schema, example.value, "body"), `${operationId} ${name}`).toEqual([])
      }
    }
  })

  it("links create responses to reads", () => {
    const linksOf = (operationId: string): Record<string, { operationId: string }> => {
      const responses = operations.get(operationId)?.operation.responses as Record<string, unknown>
      return deref(responses["201"]).links as Record<string, { operationId: string }>
    }

    expect(linksOf("createPet").GetPetById?.operationId).toBe("getPet")
    expect(linksOf("createOrder").GetOrderById?.operationId).toBe("getOrder")
  })
})

describe("fixed API", () => {
  it.each(sweep)("$name returns declared $status", async (sweepCase) => {
    await expectConformingAnswer(false, sweepCase)
  })
})

describe("API with bugs outside the planted bugs", () => {
  it.each(sweep.filter((sweepCase) => sweepCase.bug === undefined))(
    "$name returns declared $status",
    async (sweepCase) => {
      await expectConformingAnswer(true, sweepCase)
    }
  )
})

describe("bug 1: server error at the maximum limit", () => {
  it("returns 500 with bugs", async () => {
    const result = await send(await start(true), "/pets?limit=100")

    expect(result.status).toBe(500)
    expect(result.json).toMatchObject({ code: "internal_error" })
  })

  it("returns 200 when fixed", async () => {
    const result = await send(await start(false), "/pets?limit=100")

    expect(result.status).toBe(200)
    expect(result.json).toHaveLength(5)
    expect(result.headers.get("x-total-count")).toBe("5")
  })
})

describe("bug 2: undeclared status code", () => {
  it("returns 422 for invalid query with bugs", async () => {
    const result = await send(await start(true), "/orders?limit=0", { headers: bearer })

    expect(result.status).toBe(422)
    expect(conformanceProblems("listOrders", result)).toEqual(["status 422 is not declared"])
  })

  it("returns declared 400 when fixed", async () => {
    const result = await send(await start(false), "/orders?limit=0", { headers: bearer })

    expect(result.status).toBe(400)
    expect(conformanceProblems("listOrders", result)).toEqual([])
  })
})

describe("bug 3: price of the wrong type", () => {
  it("returns price as string with bugs", async () => {
    const result = await send(await start(true), "/pets", post(cat))

    expect(result.status).toBe(201)
    expect(result.json).toMatchObject({ price: "150.00" })
    expect(conformanceProblems("createPet", result)).toContain("body/price: must be number")
  })

  it("returns a number when fixed", async () => {
    const result = await send(await start(false), "/pets", post(cat))

    expect(result.status).toBe(201)
    expect(result.json).toMatchObject({ price: 150 })
    expect(result.headers.get("location")).toMatch(/^\/pets\/\d+$/)
  })
})

describe("bug 4: quantity above the maximum accepted", () => {
  it("accepts quantity 11 with bugs", async () => {
    const result = await send(await start(true), "/orders", post({ ...order, quantity: 11 }))

    expect(result.status).toBe(201)
    expect(result.json).toMatchObject({ quantity: 11, total: 1320 })
  })

  it("rejects quantity 11 when fixed", async () => {
    const result = await send(await start(false), "/orders", post({ ...order, quantity: 11 }))

    expect(result.status).toBe(422)
    expect(result.json).toMatchObject({
      details: [{ location: "body", path: "/quantity", message: "must be at most 10" }]
    })
  })
})

describe("bug 5: auth not enforced on updatePet", () => {
  it("replaces pet without token with bugs", async () => {
    const api = await start(true)
    const result = await send(api, "/pets/2", put(dog, {}))

    expect(result.status).toBe(200)
    expect((await send(api, "/pets/2")).json).toMatchObject({ name: "Max" })
  })

  it("returns 401 when fixed", async () => {
    const api = await start(false)
    const result = await send(api, "/pets/2", put(dog, {}))

    expect(result.status).toBe(401)
    expect(result.headers.get("www-authenticate")).toMatch(/^Bearer /)
    expect((await send(api, "/pets/2")).json).toMatchObject({ name: "Rex" })
  })
})

describe("bug 6: deleted pet still served", () => {
  const createThenDelete = async (api: SampleApi): Promise<string> => {
    const created = await send(api, "/pets", post(dog))
    const location = created.headers.get("location") ?? ""
    expect((await send(api, location, { method: "DELETE", headers: bearer })).status).toBe(204)
    return location
  }

  it("returns 200 after delete with bugs", async () => {
    const api = await start(true)
    const location = await createThenDelete(api)

    expect((await send(api, location)).status).toBe(200)
    expect((await send(api, location, { method: "DELETE", headers: bearer })).status).toBe(404)
  })

  it("returns 404 after delete when fixed", async () => {
    const api = await start(false)
    const location = await createThenDelete(api)

    expect((await send(api, location)).status).toBe(404)
    expect((await send(api, location, put(dog))).status).toBe(404)
    expect((await send(api, "/pets")).json).toHaveLength(5)
  })
})

describe("bug 7: slow search", () => {
  it("takes at least 1.5 s with bugs", async () => {
    const result = await send(await start(true), "/pets/search?q=to")

    expect(result.status).toBe(200)
    // Timers may fire a millisecond early, so the bound leaves that millisecond.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(SLOW_SEARCH_DELAY_MS - 1)
  })

  it("responds quickly when fixed", async () => {
    const result = await send(await start(false), "/pets/search?q=to")

    expect(result.status).toBe(200)
    expect(result.json).toMatchObject([{ name: "Tom" }])
    expect(result.elapsedMs).toBeLessThan(500)
  })
})

describe("bug 8: content type mismatch", () => {
  it("labels the order as text/plain with bugs", async () => {
    const result = await send(await start(true), "/orders/1", { headers: bearer })

    expect(result.status).toBe(200)
    expect(result.headers.get("content-type")).toBe("text/plain; charset=utf-8")
    expect(conformanceProblems("getOrder", result)).toEqual([
      "content type text/plain is not the declared application/json"
    ])
  })

  it("labels the order as application/json when fixed", async () => {
    const result = await send(await start(false), "/orders/1", { headers: bearer })

    expect(result.headers.get("content-type")).toBe("application/json")
    expect(result.json).toMatchObject({ id: 1, petId: 1 })
    expect(result.json).not.toHaveProperty("paymentToken")
  })
})

describe("flows", () => {
  it("creates an order and reads it back through its link", async () => {
    const api = await start(false)
    const created = await send(api, "/orders", post(order))
    const id = (created.json as { id: number }).id

    expect(created.json).toMatchObject({ status: "placed", total: 240, note: "Leave at the door." })
    expect(created.json).not.toHaveProperty("paymentToken")
    const read = await send(api, `/orders/${id}`, { headers: bearer })
    expect(read.json).toEqual(created.json)
    expect((await send(api, `/orders/${id}`, { method: "DELETE", headers: admin })).status).toBe(204)
    expect((await send(api, `/orders/${id}`, { headers: bearer })).status).toBe(404)
  })

  it("starts every server with fresh data", async () => {
    const first = await start(false)
    await send(first, "/pets", post(cat))
    const second = await start(false)

    expect((await send(first, "/pets")).headers.get("x-total-count")).toBe("6")
    expect((await send(second, "/pets")).headers.get("x-total-count")).toBe("5")
  })
})

/** Copies a spec schema without `description`, `examples` and `example`, with `$ref`s resolved. */
function withoutAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAnnotations)
  if (typeof value !== "object" || value === null) return value
  const resolved = deref(value)
  return Object.fromEntries(
    Object.entries(resolved)
      .filter(([key]) => !["description", "examples", "example"].includes(key))
      .map(([key, child]) => [key, key === "mapping" ? child : withoutAnnotations(child)])
  )
}
