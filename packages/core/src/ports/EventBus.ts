/**
 * The `EventBus` port: publishes run events and streams one run's events, in order, to subscribers.
 */
import { Context, Effect, Layer, PubSub, type Scope, Stream } from "effect"
import type { RunEvent } from "../run/RunEvent.js"

export interface EventBusService {
  /** Publishes an event; waits while a subscriber's buffer is full. */
  readonly publish: (event: RunEvent) => Effect.Effect<void>
  /** Publishes events in order; waits while a subscriber's buffer is full. */
  readonly publishAll: (events: ReadonlyArray<RunEvent>) => Effect.Effect<void>
  /** Streams the events of one run published after the subscription starts. */
  readonly subscribe: (runId: string) => Effect.Effect<Stream.Stream<RunEvent>, never, Scope.Scope>
}

export class EventBus extends Context.Tag("@qawave/core/EventBus")<EventBus, EventBusService>() {
  /** An in-process bus on a bounded `PubSub`; a subscriber that falls `capacity` events behind slows publishers. */
  static readonly layerMemory = (options: { readonly capacity?: number } = {}) =>
    Layer.effect(
      EventBus,
      Effect.gen(function* () {
        const pubsub = yield* PubSub.bounded<RunEvent>(options.capacity ?? 4_096)
        return EventBus.of({
          publish: (event) => PubSub.publish(pubsub, event).pipe(Effect.asVoid),
          publishAll: (events) => PubSub.publishAll(pubsub, events).pipe(Effect.asVoid),
          subscribe: (runId) =>
            Effect.map(PubSub.subscribe(pubsub), (queue) =>
              Stream.fromQueue(queue).pipe(Stream.filter((event) => event.runId === runId))
            )
        })
      })
    )

  /** A bus that drops every event, for callers that read only the final report. */
  static readonly layerDiscard = Layer.succeed(
    EventBus,
    EventBus.of({
      publish: () => Effect.void,
      publishAll: () => Effect.void,
      subscribe: () => Effect.succeed(Stream.empty)
    })
  )
}
