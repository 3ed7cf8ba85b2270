import type { LevelWithSilent } from "pino";
import type { BlobStore } from "../blob.js";
import { parseConfig } from "../config.js";
import type { ConnectorDefinitionBase, ConnectorKind } from "../connector.js";
import type { ConnectorContext, InitContext, Logger, StateStore, StepInfo } from "../context.js";
import { captureLogs, type LogRecord } from "./captured-logger.js";
import { MemoryBlobStore } from "./memory-blob-store.js";
import { MemoryStateStore } from "./memory-state-store.js";
import { type MetricSample, recordMetrics } from "./recorded-metrics.js";
import { TEST_DEFAULTS } from "./test-defaults.js";

/** Any connector made with a `define*` helper, with its config and resource types. */
export type TestableConnector<C, R> = ConnectorDefinitionBase<C, R> & { readonly kind: ConnectorKind };

/** Options of {@link createTestContext}. */
export interface TestContextOptions {
  /** The raw config, as a user writes it; parsed with the connector's schema. */
  config: unknown;
  /** The step's state. @default a new {@link MemoryStateStore} */
  state?: StateStore;
  /** The step's blob store. @default a new {@link MemoryBlobStore} */
  blobs?: BlobStore;
  /** Aborting it aborts `ctx.signal`, as a stopping step does. */
  signal?: AbortSignal;
  /** Where the handler claims to run. @default test tenant and integration, step = connector name */
  info?: Partial<StepInfo>;
  /** A logger to use instead of capturing; `logs` then stays empty. */
  logger?: Logger;
  /** Lowest level captured in `logs`. @default "trace" */
  logLevel?: LevelWithSilent;
}

/** A connector initialised for a test: its context and what it logged and recorded. */
export interface TestConnectorHandle<C, R> {
  /** The context handlers receive: parsed config, resources from `init`, state, blobs, … */
  readonly ctx: ConnectorContext<C, R>;
  /** Every log record written so far, parsed (live: grows as handlers log). */
  readonly logs: readonly LogRecord[];
  /** Every metric call made so far (live). */
  readonly metrics: readonly MetricSample[];
  /** Aborts `ctx.signal` without closing, as the runtime does when a step begins stopping. */
  abort(reason?: unknown): void;
  /** Aborts `ctx.signal` and runs the connector's `close` once; later calls return the same promise. */
  close(): Promise<void>;
}

/**
 * Parses a config and runs a connector's `init`, as the runtime does before the first handler
 * call, and returns the context handlers receive.
 *
 * @param connector - any connector made with a `define*` helper
 * @param options - the raw config and optional state, blobs, signal, step info and logger
 * @returns the context, captured logs and metrics, and `close()` — call it in `finally`
 * @throws ConfigError naming every invalid field if the config does not match the schema
 * @throws whatever `init` throws (and then `close` is not called: nothing was opened)
 * @example
 * ```ts
 * const handle = await createTestContext(httpSink, { config: { url } });
 * try {
 *   await httpSink.deliver(await createTestMessage({ json: 1 }), { ...handle.ctx, attempt: 1 });
 * } finally {
 *   await handle.close();
 * }
 * ```
 */
export async function createTestContext<C, R>(
  connector: TestableConnector<C, R>,
  options: TestContextOptions,
): Promise<TestConnectorHandle<C, R>> {
  const config = parseConfig(connector.config, options.config, {
    where: `the config of ${connector.kind} "${connector.name}"`,
  });
  const info: StepInfo = {
    tenant: TEST_DEFAULTS.tenant,
    integration: TEST_DEFAULTS.integration,
    step: connector.name,
    connector: connector.name,
    version: connector.version,
    ...options.info,
  };
  const captured = captureLogs(
    { tenant: info.tenant, integration: info.integration, step: info.step, connector: info.connector },
    options.logLevel,
  );
  const { metrics, samples } = recordMetrics();
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal;
  const initCtx: InitContext<C> = {
    config,
    logger: options.logger ?? captured.logger,
    state: options.state ?? new MemoryStateStore(),
    blobs: options.blobs ?? new MemoryBlobStore(),
    metrics,
    signal,
    info,
  };
  const resources = (connector.init ? await connector.init(initCtx) : undefined) as R;
  const ctx: ConnectorContext<C, R> = { ...initCtx, resources };
  let closing: Promise<void> | undefined;
  return {
    ctx,
    logs: captured.records,
    metrics: samples,
    abort(reason?: unknown) {
      controller.abort(reason);
    },
    close() {
      closing ??= (async () => {
        controller.abort();
        await connector.close?.(ctx);
      })();
      return closing;
    },
  };
}
