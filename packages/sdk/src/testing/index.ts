/**
 * The VRSky connector test kit: run a connector against fixtures with no NATS, and check it
 * against the conformance suite.
 * @packageDocumentation
 */

export type { LogRecord } from "./captured-logger.js";
export { captureLogs } from "./captured-logger.js";
export { checkConformance } from "./conformance/check-conformance.js";
export { ConformanceCheck } from "./conformance/check-names.js";
export type { ConformanceOptions, InvalidConfig } from "./conformance/conformance-options.js";
export type { ConformanceCheckResult, ConformanceReport } from "./conformance/conformance-report.js";
export { formatConformanceReport } from "./conformance/format-conformance-report.js";
export type { PlannedCheck } from "./conformance/plan-conformance.js";
export { planConformance } from "./conformance/plan-conformance.js";
export type { FilterResult } from "./filter-result.js";
export type { MemoryBlobStoreOptions } from "./memory-blob-store.js";
export { MemoryBlobStore } from "./memory-blob-store.js";
export { MemoryStateStore } from "./memory-state-store.js";
export type { MetricSample } from "./recorded-metrics.js";
export { metricTotal, recordMetrics } from "./recorded-metrics.js";
export type { ConsumerRunEnd, ConsumerRunResult, RunConsumerOptions } from "./run-consumer.js";
export { runConsumer } from "./run-consumer.js";
export { runConverter } from "./run-converter.js";
export { runFilter } from "./run-filter.js";
export type { RunOptions } from "./run-options.js";
export type { DeliveryFailure, ProducerRunResult, RunProducerOptions } from "./run-producer.js";
export { runProducer } from "./run-producer.js";
export { CHECKPOINT_STATE_KEY } from "./state-checkpoint-store.js";
export type { TestableConnector, TestConnectorHandle, TestContextOptions } from "./test-context.js";
export { createTestContext } from "./test-context.js";
export { TEST_DEFAULTS } from "./test-defaults.js";
export type { TestInput, TestMessageInit } from "./test-message.js";
export { createTestMessage } from "./test-message.js";
