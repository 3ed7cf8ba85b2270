import type { BlobStore, ConnectorContext, StateStore, StepInfo } from "@vrsky/sdk";
import type { Logger } from "pino";
import type { RuntimeMetrics } from "./runtime-metrics.js";

/** What every step needs to build its handlers' context. */
export interface StepContextInput<C, R> {
  config: C;
  resources: R;
  logger: Logger;
  state: StateStore;
  blobs: BlobStore;
  metrics: RuntimeMetrics;
  signal: AbortSignal;
  info: StepInfo;
}

/**
 * Builds the {@link ConnectorContext} a connector's handlers receive: the logger is a child
 * carrying tenant, integration, step and connector.
 */
export function createConnectorContext<C, R>(input: StepContextInput<C, R>): ConnectorContext<C, R> {
  const { info } = input;
  return {
    config: input.config,
    resources: input.resources,
    logger: input.logger.child({
      tenant: info.tenant,
      integration: info.integration,
      step: info.step,
      connector: `${info.connector}@${info.version}`,
    }),
    state: input.state,
    blobs: input.blobs,
    metrics: input.metrics.forConnector(info.connector, info.integration, info.step),
    signal: input.signal,
    info,
  };
}
