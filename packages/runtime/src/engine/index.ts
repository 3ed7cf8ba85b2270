export type { ClaimCheck, CreateClaimCheckOptions } from "./claim-check.js";
export { createClaimCheck, PROCESS_HOLDER } from "./claim-check.js";
export type { NatsConnection } from "./connect-nats.js";
export { connectNats } from "./connect-nats.js";
export type {
  DeadLetterDetail,
  DeadLetterEntry,
  DeadLetterSelector,
  ListOptions,
} from "./dead-letter-queue.js";
export { DeadLetterQueue } from "./dead-letter-queue.js";
export type { WireEnvelope } from "./envelope-codec.js";
export { DeadLetterInfo, decodeEnvelope, encodeEnvelope } from "./envelope-codec.js";
export type {
  IntegrationStatus,
  RunnableIntegration,
  RunnableRetryPolicy,
  RunnableStep,
  RunnerOptions,
} from "./integration-runner.js";
export { IntegrationRunner } from "./integration-runner.js";
export type { MetricsServer, ServeMetricsOptions } from "./metrics-server.js";
export { serveMetrics } from "./metrics-server.js";
export { RuntimeMetrics } from "./runtime-metrics.js";
export type { DrainOnSignalsOptions } from "./shutdown.js";
export { drainOnSignals } from "./shutdown.js";
export type { S3Settings, StartIntegrationOptions } from "./start-integration.js";
export { startIntegration } from "./start-integration.js";
export type { IntegrationCounters, MessageState, StageStatus } from "./status-tracker.js";
export type { Topology, TransitLimits } from "./topology.js";
export { DEFAULT_TRANSIT_LIMITS, deleteTopology, topologyOf } from "./topology.js";
