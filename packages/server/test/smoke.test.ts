/**
 * Loads the BUILT packages (dist/) the way users do, with `import` and with `require`, in plain Node
 * without the source condition the other tests use. `pnpm test` builds first.
 */
import { execFile } from "node:child_process"
import { existsSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const run = promisify(execFile)
const serverDir = join(dirname(fileURLToPath(import.meta.url)), "..")
const repoDir = join(serverDir, "..", "..")

const node = (args: ReadonlyArray<string>) =>
  run(process.execPath, [...args], { cwd: serverDir, timeout: 30_000 })

describe("built packages", () => {
  it("dist folders exist", () => {
    for (const name of ["core", "adapters", "server"]) {
      expect(
        existsSync(join(repoDir, "packages", name, "dist", "index.js")),
        `${name} is not built: run pnpm build`
      ).toBe(true)
      expect(
        existsSync(join(repoDir, "packages", name, "dist", "index.cjs")),
        `${name} has no CJS build`
      ).toBe(true)
    }
  })

  for (const name of ["@qawave/core", "@qawave/core/model-server", "@qawave/adapters", "@qawave/server"]) {
    it(`${name} loads with require`, async () => {
      const { stdout } = await node([
        "-e",
        `console.log(Object.keys(require(${JSON.stringify(name)})).length)`
      ])
      expect(Number(stdout.trim())).toBeGreaterThan(name === "@qawave/adapters" ? -1 : 0)
    })

    it(`${name} loads with import`, async () => {
      const { stdout } = await node([
        "--input-type=module",
        "-e",
        `const m = await import(${JSON.stringify(name)}); console.log(Object.keys(m).length)`
      ])
      expect(Number(stdout.trim())).toBeGreaterThan(name === "@qawave/adapters" ? -1 : 0)
    })
  }

  it("core exposes the Promise API from both builds", async () => {
    const { stdout: cjs } = await node(["-e", "console.log(typeof require('@qawave/core').run)"])
    const { stdout: esm } = await node([
      "--input-type=module",
      "-e",
      "const { run } = await import('@qawave/core'); console.log(typeof run)"
    ])
    expect(cjs.trim()).toBe("function")
    expect(esm.trim()).toBe("function")
  })

  it("internal modules are closed off", async () => {
    const failure = await node(["-e", "require('@qawave/core/internal/anything')"]).catch(
      (error: { stderr: string }) => error
    )
    expect(String((failure as { stderr?: string }).stderr)).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED")
  })

  it("the qawave bin inspects a spec", async () => {
    const spec = join(repoDir, "examples", "sample-api", "openapi.yaml")
    const manifest = JSON.parse(await readFile(join(serverDir, "package.json"), "utf8")) as {
      bin: { qawave: string }
    }
    const { stdout } = await node([join(serverDir, manifest.bin.qawave), "inspect", spec, "--json"])
    const parsed = JSON.parse(stdout) as { operations: Array<{ id: string; method: string }> }
    expect(parsed.operations.map((operation) => operation.id)).toContain("createPet")
    expect(parsed.operations.every((operation) => operation.method === operation.method.toLowerCase())).toBe(
      true
    )
  })
})
