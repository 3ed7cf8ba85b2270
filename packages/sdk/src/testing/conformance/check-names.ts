/** The names of the conformance checks, each a sentence about the connector. */
export const ConformanceCheck = {
  /** Every kind: `connectorManifest` builds, with description, JSON Schema, secrets and valid examples. */
  Manifest: "manifest is complete",
  /** Every kind: the schema accepts the examples and the given config, and rejects bad configs. */
  ConfigSchema: "config schema accepts its examples and rejects bad configs",
  /** Every kind: two runs with close leave no active handles or timers behind. */
  Lifecycle: "starts, stops and restarts cleanly without leaking handles or timers",
  /** Converters, filters, producers: `badInput` fails with a `FatalError`. */
  TypedErrors: "rejects bad input with a typed FatalError",
  /** Converters: the same input gives the same output. */
  DeterministicConverter: "converts the same input to the same output",
  /** Filters: the same input gives the same decision. */
  DeterministicFilter: "decides the same way for the same input",
  /** Filters: every route returned is declared. */
  DeclaredRoutes: "returns only declared routes",
  /** Consumers: a restart after a crash loses nothing and repeats nothing. */
  CheckpointResume: "resumes from its checkpoint without losing or repeating messages",
  /** Producers: delivering the same message id twice has the effect of once. */
  RetrySafe: "is safe to retry with the same idempotency key",
} as const;
/** One of the {@link ConformanceCheck} names. */
export type ConformanceCheck = (typeof ConformanceCheck)[keyof typeof ConformanceCheck];
