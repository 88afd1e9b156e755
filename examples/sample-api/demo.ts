/**
 * `pnpm demo`: starts the sample API (with its planted bugs) in its own process and runs `qawave run`
 * against it with the in-memory defaults, as a user would from a terminal. Reports go to .qawave/demo/.
 */
import { demoOutput, runDemo } from "./src/demo.js"

process.exitCode = await runDemo(demoOutput("demo"))
