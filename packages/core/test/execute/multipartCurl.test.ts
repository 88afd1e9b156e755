/**
 * curl lines of multipart requests, run with the real curl against a real server: the server must
 * get the same parts from curl as from QAWave.
 */
import { execFile } from "node:child_process"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { promisify } from "node:util"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { toCurl } from "../../src/execute/curl.js"
import { Executor } from "../../src/execute/Executor.js"
import { encodeRequest } from "../../src/execute/encode.js"
import type { Operation } from "../../src/spec/model.js"

interface ReceivedPart {
  readonly name: string
  readonly filename?: string
  readonly type?: string
  readonly text: string
}

const run = promisify(execFile)

const operation = {
  id: "upload",
  method: "post",
  path: "/upload",
  parameters: [],
  security: [],
  responses: [],
  requestBody: {
    required: true,
    content: [
      {
        mediaType: "multipart/form-data",
        schema: {
          type: "object",
          properties: {
            note: { type: "string" },
            meta: { type: "object" },
            tags: { type: "array", items: { type: "string" } }
          }
        },
        examples: [],
        encoding: { meta: { contentType: "application/json" } }
      }
    ]
  }
} as unknown as Operation

// Text that curl's -F syntax would otherwise read as a file, a type or the end of the value.
const value = {
  note: `@/etc/hostname; type=text/html, "quoted" \\ back'slash`,
  meta: { owner: "O'Brien", labels: ["a;b", 'c"d'] },
  tags: ["<first", "second"]
}

describe("multipart curl lines", () => {
  let server: Server
  let baseUrl = ""
  const received: Array<ReadonlyArray<ReceivedPart>> = []

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const chunks: Array<Buffer> = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      const form = await new Response(Buffer.concat(chunks), {
        headers: { "content-type": request.headers["content-type"] ?? "" }
      }).formData()
      const parts: Array<ReceivedPart> = []
      for (const [name, entry] of form.entries()) {
        if (typeof entry === "string") parts.push({ name, text: entry })
        else parts.push({ name, filename: entry.name, type: entry.type, text: await entry.text() })
      }
      received.push(parts)
      response.writeHead(200).end()
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it("sends the parts QAWave sent", async () => {
    const encoded = encodeRequest(
      operation,
      {
        pathParams: {},
        query: {},
        headers: {},
        cookies: {},
        body: { mediaType: "multipart/form-data", value },
        auth: "default"
      },
      { baseUrl }
    )
    if (encoded._tag === "Left") throw new Error(encoded.left.message)
    const exchange = await Effect.runPromise(
      Effect.flatMap(Executor, (executor) => executor.execute(encoded.right, { targetKey: baseUrl })).pipe(
        Effect.provide(Executor.layer()),
        Effect.scoped
      )
    )
    const curl = toCurl(exchange.request)
    await run("sh", ["-c", `${curl} --silent --show-error`])

    expect(curl).not.toContain("#")
    expect(received).toHaveLength(2)
    expect(received[0]?.map((part) => part.name)).toEqual(["note", "meta", "tags", "tags"])
    expect(received[1]).toEqual(received[0])
  })
})
