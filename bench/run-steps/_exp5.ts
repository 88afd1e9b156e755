import { compareTools } from "./tools.js"

console.log(JSON.stringify(await compareTools(), null, 2))
