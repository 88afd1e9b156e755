/** The execute stage: request encoding, credentials, the executor and curl lines. */
export * from "./auth.js"
export * from "./curl.js"
export * from "./EncodingError.js"
export * from "./Exchange.js"
export * from "./Executor.js"
export * from "./encode.js"
export { mask, maskSecrets } from "./mask.js"
export { parseRetryAfter } from "./retryAfter.js"
