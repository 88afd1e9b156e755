import { spawn } from "node:child_process"
import { Executor } from "@qawave/core"
import { Effect } from "effect"
import { Pool } from "undici"

const child = spawn(process.execPath, ["--import", "tsx", "run-steps/target.ts"], {
  stdio: ["ignore", "pipe", "inherit"]
})
const port: number = await new Promise((resolve) =>
  child.stdout.once("data", (d) => resolve(JSON.parse(String(d)).port))
)
const base = `http://127.0.0.1:${port}`
const N = Number(process.argv[2] ?? 10000),
  C = 10
const reqs = Array.from({ length: N }, (_, i) => ({
  method: "GET",
  url: `${base}/items${i % 100}/${i}?q0=1&q1=abc`,
  headers: {}
}))
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now()
  const pool = new Pool(base, { connections: C })
  let next = 0
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) {
        const r = reqs[next++]!
        const res = await pool.request({ method: "GET", path: r.url.slice(base.length) })
        await res.body.text()
      }
    })
  )
  const raw = N / ((performance.now() - t0) / 1000)
  await pool.close()
  t0 = performance.now()
  await Effect.runPromise(
    Effect.gen(function* () {
      const ex = yield* Executor
      yield* Effect.forEach(reqs, (r) => ex.execute(r, { targetKey: base }), {
        concurrency: C,
        discard: true
      })
    }).pipe(Effect.provide(Executor.layer({ connections: C })))
  )
  const q = N / ((performance.now() - t0) / 1000)
  console.log("raw", raw.toFixed(0), "executor", q.toFixed(0), "ratio", (q / raw).toFixed(2))
}
child.kill()
