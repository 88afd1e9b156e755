/** Scenario generators: the generator contract and the deterministic schema generator. */
export type {
  GeneratedScenarios,
  GenerateOptions,
  GenerationNote,
  ScenarioGenerator
} from "./Generator.js"
export { generateFlows } from "./schema/flows.js"
export { deriveSeed, hashString, makeRandom, type Random } from "./schema/random.js"
export { refKey, resolveRef, toStandalone } from "./schema/resolve.js"
export { generateForOperation, SchemaGenerator } from "./schema/SchemaGenerator.js"
export {
  firstValidExample,
  type Generated,
  generateValid,
  generateValue,
  type ValueOptions
} from "./schema/values.js"
