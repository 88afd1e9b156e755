/**
 * The executor against real servers: redirects, deadlines, body caps, cancellation, retries and
 * rate limiting.
 */
import { createServer } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { Executor } from "../../src/execute/Executor.js"
import type { EncodedRequest } from "../../src/execute/encode.js"
import { RateLimiter } from "../../src/ports/RateLimiter.js"
import { startServer } from "./server.js"

const get = (baseUrl: string, path = "/items"): EncodedRequest => ({
  method: "GET",
  url: baseUrl + path,
  headers: {}
})

/** Finds a port with nothing listening by binding it and closing it again. */
const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

describe("Executor", () => {
  it.scopedLive("records status, headers and body", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, response) => {
        response.setHeader("Set-Cookie", ["a=1", "b=2"])
        response.setHeader("X-Multi", ["x", "y"])
        response.writeHead(201, { "Content-Type": "application/json" })
        response.end('{"id":7}')
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.failure).toBeUndefined()
      expect(exchange.response?.status).toBe(201)
      expect(exchange.response?.headers["content-type"]).toBe("application/json")
      expect(exchange.response?.headers["set-cookie"]).toBe("a=1\nb=2")
      expect(exchange.response?.headers["x-multi"]).toBe("x, y")
      expect(exchange.response?.body).toBe('{"id":7}')
      expect(exchange.response?.bodyBytes).toBe(8)
      expect(exchange.response?.truncated).toBe(false)
      expect(exchange.response?.elapsedMs).toBeGreaterThan(0)
      expect(exchange.retries).toBe(0)
      expect(exchange.rateLimited).toBe(false)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("redirect not followed", () =>
    Effect.gen(function* () {
      const server = yield* startServer((request, response) => {
        if (request.url === "/items") {
          response.writeHead(302, { Location: "/elsewhere" })
          response.end()
        } else {
          response.writeHead(200)
          response.end("followed")
        }
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.response?.status).toBe(302)
      expect(exchange.response?.headers.location).toBe("/elsewhere")
      expect(server.received).toHaveLength(1)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("silent server times out", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => {
        // Never responds.
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.response).toBeUndefined()
      expect(exchange.failure?.kind).toBe("timeout")
      expect(exchange.failure?.elapsedMs).toBeGreaterThanOrEqual(250)
      expect(exchange.failure?.elapsedMs).toBeLessThan(5_000)
    }).pipe(Effect.provide(Executor.layer({ headersTimeoutMs: 300 })))
  )

  it.scopedLive("overall request deadline", () =>
    Effect.gen(function* () {
      // Sends the headers, then trickles the body so no single pause trips bodyTimeout.
      const server = yield* startServer((_request, response) => {
        response.writeHead(200)
        const timer = setInterval(() => response.write("x"), 50)
        response.on("close", () => clearInterval(timer))
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.failure?.kind).toBe("timeout")
      expect(exchange.failure?.message).toContain("request timeout (400 ms)")
    }).pipe(Effect.provide(Executor.layer({ requestTimeoutMs: 400 })))
  )

  it.scopedLive("request's own deadline wins", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => {
        // Never responds.
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), {
        targetKey: "t",
        timeoutMs: 200
      })

      expect(exchange.failure?.kind).toBe("timeout")
      expect(exchange.failure?.message).toContain("request timeout (200 ms)")
      expect(exchange.failure?.elapsedMs).toBeLessThan(5_000)
    }).pipe(Effect.provide(Executor.layer({ requestTimeoutMs: 20_000 })))
  )

  it.scopedLive("stalled body times out", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, response) => {
        response.writeHead(200)
        response.write("partial")
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.failure?.kind).toBe("timeout")
      expect(exchange.failure?.message).toContain("body")
    }).pipe(Effect.provide(Executor.layer({ bodyTimeoutMs: 300 })))
  )

  it.scopedLive("connections cap concurrency", () =>
    Effect.gen(function* () {
      let inFlight = 0
      let maxInFlight = 0
      const server = yield* startServer((_request, response) => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        setTimeout(() => {
          inFlight--
          response.writeHead(200)
          response.end()
        }, 50)
      })
      const executor = yield* Executor
      const exchanges = yield* Effect.forEach(
        [1, 2, 3, 4, 5, 6],
        () => executor.execute(get(server.baseUrl), { targetKey: "t" }),
        { concurrency: "unbounded" }
      )

      expect(exchanges.every((exchange) => exchange.response?.status === 200)).toBe(true)
      expect(maxInFlight).toBe(2)
    }).pipe(Effect.provide(Executor.layer({ connections: 2 })))
  )

  it.scopedLive("scope close closes pooled sockets", () =>
    Effect.gen(function* () {
      let socketClosed = false
      const server = yield* startServer((request, response) => {
        request.socket.once("close", () => {
          socketClosed = true
        })
        response.writeHead(200)
        response.end()
      })
      const exchange = yield* Effect.scoped(
        Effect.gen(function* () {
          const executor = yield* Executor
          const result = yield* executor.execute(get(server.baseUrl), { targetKey: "t" })

          // The kept-alive socket stays open while the layer's scope is open.
          expect(socketClosed).toBe(false)
          return result
        }).pipe(Effect.provide(Executor.layer({ keepAliveTimeoutMs: 60_000 })))
      )
      yield* Effect.promise(async () => {
        for (let waited = 0; !socketClosed && waited < 2_000; waited += 10) {
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
      })

      expect(exchange.response?.status).toBe(200)
      expect(socketClosed).toBe(true)
    })
  )

  it.scopedLive("request body truncated in record", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const text = "x".repeat(500)
      const request: EncodedRequest = {
        method: "POST",
        url: `${server.baseUrl}/items`,
        headers: { "content-type": "text/plain" },
        body: text,
        bodyText: text
      }
      const exchange = yield* (yield* Executor).execute(request, { targetKey: "t" })

      expect(server.received[0]!.body.toString("utf8")).toBe(text)
      expect(exchange.request.body).toBe("x".repeat(100))
      expect(exchange.request.bodyTruncated).toBe(true)
    }).pipe(Effect.provide(Executor.layer({ recordBytes: 100 })))
  )

  it.scopedLive("refused connection recorded", () =>
    Effect.gen(function* () {
      const port = yield* freePort
      const exchange = yield* (yield* Executor).execute(get(`http://127.0.0.1:${port}`), { targetKey: "t" })

      expect(exchange.failure?.kind).toBe("connect")
      expect(exchange.failure?.message).toContain("ECONNREFUSED")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("body over recordBytes truncated", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, response) => {
        response.writeHead(200)
        response.end("a".repeat(5_000))
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.response?.body).toBe("a".repeat(100))
      expect(exchange.response?.bodyBytes).toBe(5_000)
      expect(exchange.response?.truncated).toBe(true)
    }).pipe(Effect.provide(Executor.layer({ recordBytes: 100 })))
  )

  it.scopedLive("body over hard cap fails", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, response) => {
        response.writeHead(200)
        response.end("b".repeat(5_000))
      })
      const withinCap = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(withinCap.failure?.kind).toBe("body_too_large")
      expect(withinCap.response).toBeUndefined()
    }).pipe(Effect.provide(Executor.layer({ maxBodyBytes: 400 })))
  )

  it.scopedLive("body under hard cap read whole", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, response) => {
        response.writeHead(200)
        response.end("c".repeat(3_000))
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.response?.bodyBytes).toBe(3_000)
      expect(exchange.response?.body).toHaveLength(400)
      expect(exchange.response?.truncated).toBe(true)
    }).pipe(Effect.provide(Executor.layer({ maxBodyBytes: 400 })))
  )

  it.scopedLive("interrupt aborts the request", () =>
    Effect.gen(function* () {
      let socketClosed = false
      const server = yield* startServer((request) => {
        // Never responds, so only the client can end the exchange.
        request.socket.once("close", () => {
          socketClosed = true
        })
      })
      const executor = yield* Executor
      const fiber = yield* Effect.fork(executor.execute(get(server.baseUrl), { targetKey: "t" }))
      yield* Effect.promise(() => server.waitForRequests(1))

      expect(socketClosed).toBe(false)
      yield* Fiber.interrupt(fiber)
      yield* Effect.promise(async () => {
        for (let waited = 0; !socketClosed && waited < 2_000; waited += 10) {
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
      })
      expect(socketClosed).toBe(true)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("abort signal fails aborted", () =>
    Effect.gen(function* () {
      const server = yield* startServer(() => {
        // Never responds.
      })
      const controller = new AbortController()
      const executor = yield* Executor
      const fiber = yield* Effect.fork(
        executor.execute(get(server.baseUrl), { targetKey: "t", signal: controller.signal })
      )
      yield* Effect.promise(() => server.waitForRequests(1))
      controller.abort()
      const exchange = yield* Fiber.join(fiber)

      expect(exchange.failure?.kind).toBe("aborted")
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("extra secrets masked", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const request: EncodedRequest = {
        method: "POST",
        url: `${server.baseUrl}/items?token=s3cr3t`,
        headers: { "x-token": "s3cr3t" },
        body: '{"password":"s3cr3t"}',
        bodyText: '{"password":"s3cr3t"}'
      }
      const exchange = yield* (yield* Executor).execute(request, { targetKey: "t", secrets: ["s3cr3t"] })

      expect(server.received[0]!.url).toBe("/items?token=s3cr3t")
      expect(JSON.stringify(exchange.request)).not.toContain("s3cr3t")
      expect(exchange.request.body).toBe('{"password":"***"}')
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("echoed secret masked in response", () =>
    Effect.gen(function* () {
      // A careless API that sends the credential it received back, in a header and in the body.
      const server = yield* startServer((request, response) => {
        const authorization = String(request.headers.authorization ?? "")
        response.writeHead(500, { "content-type": "application/json", "x-echo": authorization })
        response.end(JSON.stringify({ error: "boom", youSent: authorization }))
      })
      const request: EncodedRequest = {
        method: "GET",
        url: `${server.baseUrl}/items`,
        headers: { authorization: "Bearer s3cr3t-echo" },
        secrets: ["s3cr3t-echo"]
      }
      const exchange = yield* (yield* Executor).execute(request, { targetKey: "t" })

      expect(exchange.response?.status).toBe(500)
      expect(exchange.response?.headers["x-echo"]).toBe("Bearer ***")
      expect(exchange.response?.body).toBe('{"error":"boom","youSent":"Bearer ***"}')
    }).pipe(Effect.provide(Executor.layer()))
  )
})

describe("Executor on dropped connections", () => {
  it.scopedLive("sends a GET once more", () =>
    Effect.gen(function* () {
      let seen = 0
      const server = yield* startServer((request, response) => {
        seen++
        // The first request dies with its connection, as when a server closes a kept-alive socket.
        if (seen === 1) request.socket.destroy()
        else response.writeHead(200).end("ok")
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.response?.status).toBe(200)
      expect(seen).toBe(2)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("reports both failures of a GET", () =>
    Effect.gen(function* () {
      const server = yield* startServer((request) => request.socket.destroy())
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.failure?.kind).toBe("network")
      expect(exchange.failure?.message).toContain("; sent again on a new connection: ")
      expect(server.received).toHaveLength(2)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("sends a POST again after a reused connection closed", () =>
    Effect.gen(function* () {
      let seen = 0
      const server = yield* startServer((request, response) => {
        seen++
        // The second request arrives on the kept-alive connection of the first, which then closes.
        if (seen === 2) request.socket.destroy()
        else response.writeHead(200).end("ok")
      })
      const executor = yield* Executor
      const post: EncodedRequest = { ...get(server.baseUrl), method: "POST" }
      yield* executor.execute(post, { targetKey: "t" })
      const exchange = yield* executor.execute(post, { targetKey: "t" })

      expect(exchange.response?.status).toBe(200)
      expect(seen).toBe(3)
    }).pipe(Effect.provide(Executor.layer({ connections: 1 })))
  )

  it.scopedLive("sends a POST once only", () =>
    Effect.gen(function* () {
      const server = yield* startServer((request) => request.socket.destroy())
      const post: EncodedRequest = { ...get(server.baseUrl), method: "POST" }
      const exchange = yield* (yield* Executor).execute(post, { targetKey: "t" })

      expect(exchange.failure?.kind).toBe("network")
      expect(exchange.failure?.message).not.toContain("sent again")
      expect(server.received).toHaveLength(1)
    }).pipe(Effect.provide(Executor.layer()))
  )
})

describe("Executor retries", () => {
  it.scopedLive("429 with Retry-After seconds retried", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, response) => {
        if (server.received.length === 1) {
          response.writeHead(429, { "Retry-After": "1" })
          response.end("slow down")
        } else {
          response.writeHead(200)
          response.end("ok")
        }
      })
      const started = Date.now()
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.response?.status).toBe(200)
      expect(exchange.retries).toBe(1)
      expect(exchange.rateLimited).toBe(false)
      expect(server.received).toHaveLength(2)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("503 with Retry-After date retried", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, response) => {
        if (server.received.length === 1) {
          response.writeHead(503, { "Retry-After": new Date(Date.now() + 1_000).toUTCString() })
          response.end()
        } else {
          response.writeHead(200)
          response.end("ok")
        }
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.response?.status).toBe(200)
      expect(exchange.retries).toBe(1)
      expect(server.received).toHaveLength(2)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("gives up after maxRetries", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, response) => {
        response.writeHead(429, { "Retry-After": "0" })
        response.end()
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.response?.status).toBe(429)
      expect(exchange.retries).toBe(2)
      expect(exchange.rateLimited).toBe(true)
      expect(server.received).toHaveLength(3)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("Retry-After delay capped", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, response) => {
        response.writeHead(429, { "Retry-After": "3600" })
        response.end()
      })
      const started = Date.now()
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.retries).toBe(1)
      expect(exchange.rateLimited).toBe(true)
      expect(Date.now() - started).toBeLessThan(2_000)
    }).pipe(Effect.provide(Executor.layer({ maxRetries: 1, maxRetryAfterMs: 200 })))
  )

  it.scopedLive("503 without Retry-After not retried", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, response) => {
        response.writeHead(503)
        response.end()
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.retries).toBe(0)
      expect(exchange.rateLimited).toBe(false)
      expect(server.received).toHaveLength(1)
    }).pipe(Effect.provide(Executor.layer()))
  )

  it.scopedLive("429 without Retry-After rate limited", () =>
    Effect.gen(function* () {
      const server = yield* startServer((_request, response) => {
        response.writeHead(429)
        response.end()
      })
      const exchange = yield* (yield* Executor).execute(get(server.baseUrl), { targetKey: "t" })

      expect(exchange.retries).toBe(0)
      expect(exchange.rateLimited).toBe(true)
    }).pipe(Effect.provide(Executor.layer()))
  )
})

/** Starts a server that records when each request arrives, in `performance.now()` time. */
const arrivalServer = Effect.gen(function* () {
  const arrivals: Array<number> = []
  const server = yield* startServer((_request, response) => {
    arrivals.push(performance.now())
    response.writeHead(200)
    response.end()
  })
  return { server, arrivals }
})

describe("Executor rate limit", () => {
  it.scopedLive("requests spaced by the rate", () =>
    Effect.gen(function* () {
      const { server, arrivals } = yield* arrivalServer
      const executor = yield* Executor
      yield* Effect.forEach(
        [1, 2, 3, 4],
        () => executor.execute(get(server.baseUrl), { targetKey: "target-a" }),
        {
          concurrency: "unbounded"
        }
      )

      expect(arrivals).toHaveLength(4)
      const sorted = [...arrivals].sort((a, b) => a - b)
      // One permit per 150 ms with a burst of one: arrivals about 0, 150, 300 and 450 ms apart.
      for (let index = 1; index < sorted.length; index++) {
        expect(sorted[index]! - sorted[index - 1]!).toBeGreaterThanOrEqual(120)
      }
      expect(sorted[3]! - sorted[0]!).toBeGreaterThanOrEqual(420)
    }).pipe(
      Effect.provide(Executor.layer({ rateLimit: { permits: 1, perMs: 150 } })),
      Effect.provide(RateLimiter.layerMemory)
    )
  )

  it.scopedLive("request's own rate applies", () =>
    Effect.gen(function* () {
      const { server, arrivals } = yield* arrivalServer
      const executor = yield* Executor
      const options = { targetKey: "target-b", rateLimit: { permits: 1, perMs: 150 } }
      yield* Effect.forEach([1, 2, 3], () => executor.execute(get(server.baseUrl), options), {
        concurrency: "unbounded"
      })

      const sorted = [...arrivals].sort((a, b) => a - b)
      expect(sorted).toHaveLength(3)
      expect(sorted[2]! - sorted[0]!).toBeGreaterThanOrEqual(270)
    }).pipe(Effect.provide(Executor.layer()))
  )
})
