/**
 * Integration specs: parse, load, resolve.
 * @packageDocumentation
 */
export type { RetryPolicy } from "./backoff.js";
export { backoffDelay, backoffSchedule } from "./backoff.js";
export type { ConnectorResolver, ConnectorResolverOptions } from "./connector-resolver.js";
export { createConnectorResolver } from "./connector-resolver.js";
export { defineIntegration } from "./define-integration.js";
export type { LoadedIntegrationSpec } from "./load.js";
export { loadIntegrationSpec } from "./load.js";
export type { LoadIntegrationOptions } from "./load-integration.js";
export { loadIntegration } from "./load-integration.js";
export type { ParsedIntegrationSpec, ParseIntegrationSpecOptions } from "./parse.js";
export { parseIntegrationSpec, parseIntegrationSpecDocument } from "./parse.js";
export type {
  ResolvedIntegration,
  ResolvedSettings,
  ResolvedSink,
  ResolvedStep,
  ResolveIntegrationOptions,
} from "./resolve.js";
export { resolveIntegration } from "./resolve.js";
export type { IntegrationSpecInput } from "./schema.js";
export {
  DEFAULT_ROUTE,
  DEFAULT_SOURCE_NAME,
  IntegrationSpec,
  SinkSpec,
  SourceSpec,
  StepSpec,
} from "./schema.js";
export { isSecretRef, SecretRef } from "./secret-ref.js";
export type { Env, ResolvedSecretRefs, ResolveSecretRefsOptions, SecretSource } from "./secrets.js";
export { envSecretSource, resolveSecretRefs } from "./secrets.js";
export type { PathSegment, SourcePosition, SpecPositions } from "./spec-issues.js";
export { formatPath } from "./spec-issues.js";
export type { DurationInput, SizeInput } from "./units.js";
export { Duration, parseDuration, parseSize, Size } from "./units.js";
