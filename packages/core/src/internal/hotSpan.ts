/**
 * Spans for code that runs once per step. Effect's built-in tracer keeps spans in memory and exports
 * them nowhere, yet each one copies the fiber's references and allocates a span object. Against a
 * stubbed target that was about a third of a step's CPU time. So a step gets its span only when the
 * caller has installed a tracer of its own (OpenTelemetry, for example), and nothing is lost otherwise.
 */
import { Effect, type Tracer } from "effect"

let builtIn: Tracer.Tracer | undefined

// Read on first use rather than at import, so that importing the package runs no effect.
const builtInTracer = (): Tracer.Tracer => {
  builtIn ??= Effect.runSync(Effect.tracer)
  return builtIn
}

/**
 * Wraps `effect` in a span named `name` when the current tracer is not Effect's built-in one.
 * `attributes` is called only when the span is made.
 */
export const withHotSpan =
  (name: string, attributes: () => Record<string, unknown>) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.tracerWith((tracer) =>
      tracer === builtInTracer()
        ? effect
        : Effect.withSpan(effect, name, { attributes: attributes(), captureStackTrace: false })
    )

/** Tells whether the current tracer is one the caller installed rather than Effect's built-in one. */
export const hasCallerTracer: Effect.Effect<boolean> = Effect.map(
  Effect.tracer,
  (tracer) => tracer !== builtInTracer()
)
