/**
 * @qawave/core: turn OpenAPI descriptions into API tests, run them against a live API and report
 * what broke. This module only re-exports.
 */

export * from "./ai/LanguageModel.js"
export * as OpenAiLanguageModel from "./ai/OpenAiLanguageModel.js"
export * from "./check/index.js"
export * from "./execute/index.js"
export { type RunOptions, run } from "./facade.js"
export * from "./generate/ai/index.js"
export * from "./generate/Generator.js"
export * from "./generate/index.js"
export { type DefaultsConfig, layerDefaults } from "./pipeline/layers.js"
export { type Plan, planOperations } from "./pipeline/plan.js"
export * from "./pipeline/RunConfig.js"
export { RunError } from "./pipeline/RunError.js"
export { type RunPipelineOptions, runPipeline } from "./pipeline/runPipeline.js"
export { runTests } from "./pipeline/runTests.js"
export { EventBus, type EventBusService } from "./ports/EventBus.js"
export { type RateLimit, RateLimiter } from "./ports/RateLimiter.js"
export { RunStore, type RunStoreService } from "./ports/RunStore.js"
export { ScenarioCache, type ScenarioCacheService } from "./ports/ScenarioCache.js"
export * from "./report/index.js"
export * from "./run/Run.js"
export * from "./run/RunEvent.js"
export * from "./scenario/Scenario.js"
export * from "./schema/Validator.js"
export * from "./spec/index.js"
