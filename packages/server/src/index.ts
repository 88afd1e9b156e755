export { ExitCode } from "./cli/exitCodes.js"
export { main as runCli } from "./cli/main.js"
