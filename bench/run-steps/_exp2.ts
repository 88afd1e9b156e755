import { createServer } from "node:http"
import { run } from "@qawave/core"
import { buildItemsSpec } from "./spec.js"

const t00 = performance.now()
let n = 0,
  bytes = 0
const server = createServer((req, res) => {
  n++
  bytes += req.url!.length + JSON.stringify(req.headers).length
  if (n < 4) console.log(req.method, req.url, req.headers)
  req.resume()
  req.on("end", () => res.end('{"id":1,"name":"x"}'))
})
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
const port = (server.address() as any).port
console.log(
  "startup",
  (performance.now() - t00).toFixed(0),
  "rss",
  (process.memoryUsage().rss / 1048576).toFixed(0)
)
const [ops, q, max] = process.argv.slice(2).map(Number)
const t0 = performance.now()
const report = await run({
  spec: { document: buildItemsSpec(ops!, q!) },
  baseUrl: `http://127.0.0.1:${port}`,
  maxScenariosPerOperation: max!,
  seed: 1,
  concurrency: 10
})
const s = (performance.now() - t0) / 1000
console.log(
  JSON.stringify(report.summary),
  s.toFixed(2),
  "requests",
  n,
  "avg bytes",
  (bytes / n).toFixed(0),
  "rss",
  (process.resourceUsage().maxRSS / 1024).toFixed(0)
)
server.close()
server.closeAllConnections()
