#!/usr/bin/env node
// The `qawave` command. This file is committed, so installing the workspace links the command before
// the first build; the CLI itself is the built dist/bin.js.
import { fileURLToPath } from "node:url"

const cliUrl = new URL("../dist/bin.js", import.meta.url)
const cliPath = fileURLToPath(cliUrl)

import(cliUrl.href).catch((error) => {
  const missingCli = error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes(cliPath)
  if (!missingCli) throw error
  process.stderr.write(
    `qawave: the CLI is not built yet (${cliPath} does not exist); run \`pnpm build\` in the repository first.\n`
  )
  process.exitCode = 2
})
