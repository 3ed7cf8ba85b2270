import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { Connector } from "@vrsky/sdk";
import { pino } from "pino";
import {
  deleteTopology,
  type IntegrationRunner,
  type RunnableIntegration,
  type RunnerOptions,
} from "../src/index.js";

/** The NATS every runtime test talks to. */
export const NATS_URL = process.env.VRSKY_NATS_URL ?? "nats://127.0.0.1:4222";

/** A quiet logger for tests (set VRSKY_TEST_LOG=debug to see the runtime's logs). */
export const testLogger = pino({ level: process.env.VRSKY_TEST_LOG ?? "silent" });

/** A unique integration (and channel) name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Connects to the test NATS. */
export function connectNats(url = NATS_URL): Promise<NatsConnection> {
  return connect({ servers: url, name: "vrsky-runtime-test", noAsyncTraces: true });
}

interface StepSpec {
  connector: Connector;
  config: unknown;
}

function parse(step: StepSpec): unknown {
  return step.connector.config.parse(step.config);
}

/** Builds a runnable integration with fast retries, for tests. */
export function integration(
  name: string,
  parts: {
    source: StepSpec;
    steps?: (StepSpec & { name: string })[];
    sinks: Record<string, StepSpec & { attempts?: number }>;
    routes?: Record<string, string[]>;
    settings?: Partial<RunnableIntegration["settings"]>;
  },
): RunnableIntegration {
  const retry = { attempts: 3, initialMs: 50, multiplier: 2, maxMs: 500, jitter: 0 };
  return {
    name,
    source: { name: "source", connector: parts.source.connector as never, config: parse(parts.source) },
    steps: (parts.steps ?? []).map((s) => ({
      name: s.name,
      connector: s.connector as never,
      config: parse(s),
    })),
    sinks: Object.fromEntries(
      Object.entries(parts.sinks).map(([sink, s]) => [
        sink,
        {
          name: sink,
          connector: s.connector as never,
          config: parse(s),
          retry: { ...retry, attempts: s.attempts ?? 3 },
        },
      ]),
    ),
    routes: parts.routes,
    settings: {
      retry,
      claimCheck: { thresholdBytes: 256 * 1024, ttlMs: 15 * 60_000, store: "jetstream" },
      concurrency: 16,
      ordering: "none",
      dlq: { retentionMs: 60 * 60_000 },
      dedupWindowMs: 120_000,
      ...parts.settings,
    },
  };
}

/** Removes every stream and bucket of the integrations a test created. */
export async function cleanup(
  nc: NatsConnection,
  names: Iterable<string>,
  runners: Iterable<IntegrationRunner> = [],
) {
  for (const r of runners) await r.stop();
  const jsm = await jetstreamManager(nc);
  for (const name of names) await deleteTopology(jsm, name);
}

export type { RunnerOptions };
