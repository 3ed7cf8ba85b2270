import type { Logger } from "pino";
import type { BlobStore } from "./blob.js";

export type { Logger } from "pino";

/**
 * Durable key-value state scoped to one step of one integration. Values are JSON. In the
 * runtime it is NATS KV; in the test kit, memory.
 */
export interface StateStore {
  /** The value at `key`, or `undefined`. */
  get(key: string): Promise<unknown>;
  /** Stores a JSON-serialisable value at `key`. */
  set(key: string, value: unknown): Promise<void>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Label values for a metric sample. */
export type MetricLabels = Readonly<Record<string, string>>;

/**
 * Connector-defined metrics. The runtime exports them via prom-client as
 * `vrsky_connector_<name>` with the integration and step as labels.
 */
export interface ConnectorMetrics {
  /** Adds `value` (default 1) to a counter. */
  increment(name: string, value?: number, labels?: MetricLabels): void;
  /** Records one observation (for example a latency in seconds) in a histogram. */
  observe(name: string, value: number, labels?: MetricLabels): void;
}

/** Where a handler is running. */
export interface StepInfo {
  /** Tenant id. */
  readonly tenant: string;
  /** Integration name. */
  readonly integration: string;
  /** Step name inside the integration (the source name, a step name, or a sink name). */
  readonly step: string;
  /** Connector name. */
  readonly connector: string;
  /** Connector version. */
  readonly version: string;
}

/**
 * What every handler receives: its parsed config, the resources its `init` returned, and the
 * services of the step it runs in.
 *
 * @typeParam C - the parsed config type
 * @typeParam R - what `init` returned (`undefined` without `init`)
 */
export interface ConnectorContext<C, R = undefined> {
  /** The config, already validated and typed. */
  readonly config: C;
  /** Whatever `init` returned: clients, pools, compiled templates. */
  readonly resources: R;
  /** Structured logger carrying tenant, integration, step and connector. Never log secrets. */
  readonly logger: Logger;
  /** Durable state of this step. */
  readonly state: StateStore;
  /** Blob storage for large auxiliary data (bodies over the threshold are handled for you). */
  readonly blobs: BlobStore;
  /** Connector-defined metrics. */
  readonly metrics: ConnectorMetrics;
  /** Aborted when the step is stopping; long work must stop promptly. */
  readonly signal: AbortSignal;
  /** Where this handler runs. */
  readonly info: StepInfo;
}

/** What `init` receives: everything in {@link ConnectorContext} but the resources it creates. */
export type InitContext<C> = Omit<ConnectorContext<C, never>, "resources">;
