/**
 * The VRSky connector SDK.
 * @packageDocumentation
 */
export { z } from "zod";
export type { BlobGetOptions, BlobPutOptions, BlobStore } from "./blob.js";
export { BlobRef } from "./blob.js";
export type { JsonSchema, ParseConfigOptions } from "./config.js";
export {
  configJsonSchema,
  parseConfig,
  REDACTED,
  redact,
  SECRET_KEYWORD,
  secret,
  secretPaths,
  toConfigIssues,
} from "./config.js";
export type {
  BatchOutcome,
  BatchSettings,
  CheckpointStore,
  ConfigExample,
  Connector,
  ConnectorDefinitionBase,
  ConsumerConnector,
  ConsumerContext,
  ConsumerDefinition,
  ConverterConnector,
  ConverterDefinition,
  ConverterOutput,
  DeliveryContext,
  Emit,
  EmitOptions,
  EmitResult,
  FilterConnector,
  FilterDecision,
  FilterDefinition,
  ProducerConnector,
  ProducerDefinition,
} from "./connector.js";
export {
  ConnectorKind,
  defineConsumer,
  defineConverter,
  defineFilter,
  defineProducer,
  filterRoutes,
  isConnector,
} from "./connector.js";
export type {
  ConnectorContext,
  ConnectorMetrics,
  InitContext,
  Logger,
  MetricLabels,
  StateStore,
  StepInfo,
} from "./context.js";
export type {
  ConfigErrorOptions,
  ConfigIssue,
  FatalCode,
  FatalErrorOptions,
  RetryableErrorOptions,
  VrskyErrorOptions,
} from "./errors.js";
export {
  ConfigError,
  describeError,
  ErrorCode,
  FatalError,
  isRetryable,
  RetryableError,
  VrskyError,
} from "./errors.js";
export { ConnectorManifest, connectorManifest, connectorSecretPaths, MANIFEST_VERSION } from "./manifest.js";
export type {
  BlobReader,
  BodyInit,
  BodySource,
  Envelope,
  InlineBody,
  MessageBody,
  MessageInit,
  ReadOptions,
  ReferenceBody,
} from "./message.js";
export {
  BINARY_CONTENT_TYPE,
  collectBytes,
  EnvelopeMeta,
  JSON_CONTENT_TYPE,
  Message,
  TEXT_CONTENT_TYPE,
  toBodySource,
} from "./message.js";
export { childTraceparent, isTraceparent, newTraceparent } from "./trace.js";
