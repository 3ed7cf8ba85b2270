import type { ConnectorMetrics, MetricLabels } from "@vrsky/sdk";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

type StageLabels = { integration: string; step: string };

/** Per registry: the stages whose in-flight count its gauge reads when scraped. */
const inFlightReaders = new WeakMap<Registry, Map<string, { labels: StageLabels; read: () => number }>>();

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The runtime's Prometheus metrics, registered once per registry and labelled by integration
 * and step so one worker can run many integrations.
 */
export class RuntimeMetrics {
  readonly received: Counter<"integration" | "step">;
  readonly delivered: Counter<"integration" | "step">;
  readonly failed: Counter<"integration" | "step">;
  readonly retried: Counter<"integration" | "step">;
  readonly deadLettered: Counter<"integration" | "step">;
  readonly dropped: Counter<"integration" | "step">;
  readonly inFlight: Gauge<"integration" | "step">;
  readonly stepSeconds: Histogram<"integration" | "step">;
  readonly endToEndSeconds: Histogram<"integration" | "step">;
  readonly registry: Registry;
  readonly #connectorMetrics = new Map<string, Counter<string> | Histogram<string>>();

  /** @param registry - where to register (a worker's `/metrics` serves it) */
  constructor(registry: Registry) {
    this.registry = registry;
    const labelNames = ["integration", "step"] as const;
    const counter = (name: string, help: string) =>
      reuse(registry, name) ?? new Counter({ name, help, labelNames, registers: [registry] });
    this.received = counter("vrsky_messages_received_total", "Messages accepted by a source.");
    this.delivered = counter("vrsky_messages_delivered_total", "Messages delivered by a sink.");
    this.failed = counter("vrsky_messages_failed_total", "Failed attempts, by step.");
    this.retried = counter("vrsky_messages_retried_total", "Attempts scheduled for retry, by step.");
    this.deadLettered = counter("vrsky_messages_dead_lettered_total", "Messages sent to the DLQ, by step.");
    this.dropped = counter("vrsky_messages_dropped_total", "Messages a filter or converter dropped.");
    if (!inFlightReaders.has(registry)) inFlightReaders.set(registry, new Map());
    const readers = inFlightReaders.get(registry);
    this.inFlight =
      reuse(registry, "vrsky_messages_in_flight") ??
      new Gauge({
        name: "vrsky_messages_in_flight",
        help: "Messages being handled now, by stage.",
        labelNames,
        registers: [registry],
        // Read when scraped rather than moved twice per message on the hot path.
        collect() {
          for (const { labels, read } of readers?.values() ?? []) this.set(labels, read());
        },
      });
    this.stepSeconds =
      reuse(registry, "vrsky_step_duration_seconds") ??
      new Histogram({
        name: "vrsky_step_duration_seconds",
        help: "Time spent in one step (process stage or one sink delivery).",
        labelNames,
        buckets: LATENCY_BUCKETS,
        registers: [registry],
      });
    this.endToEndSeconds =
      reuse(registry, "vrsky_end_to_end_seconds") ??
      new Histogram({
        name: "vrsky_end_to_end_seconds",
        help: "Time from acceptance at the source to delivery by a sink.",
        labelNames,
        buckets: LATENCY_BUCKETS,
        registers: [registry],
      });
  }

  /**
   * Reports a stage's in-flight count as `vrsky_messages_in_flight`, read at scrape time.
   * @param labels - integration and step
   * @param read - returns the count now
   * @returns stops reporting it and removes the series
   */
  watchInFlight(labels: StageLabels, read: () => number): () => void {
    const key = `${labels.integration}\u0000${labels.step}`;
    const readers = inFlightReaders.get(this.registry);
    readers?.set(key, { labels, read });
    return () => {
      if (readers?.get(key)?.read !== read) return;
      readers.delete(key);
      this.inFlight.remove(labels);
    };
  }

  /**
   * The {@link ConnectorMetrics} a connector's handlers see: its metrics are exported as
   * `vrsky_connector_<connector>_<name>` with the integration and step as labels.
   */
  forConnector(connector: string, integration: string, step: string): ConnectorMetrics {
    const prefix = `vrsky_connector_${sanitize(connector)}_`;
    const base = { integration, step };
    return {
      increment: (name, value = 1, labels = {}) => {
        const metric = this.#connectorMetric(`${prefix}${sanitize(name)}_total`, "counter", labels);
        (metric as Counter<string>).inc({ ...labels, ...base }, value);
      },
      observe: (name, value, labels = {}) => {
        const metric = this.#connectorMetric(`${prefix}${sanitize(name)}`, "histogram", labels);
        (metric as Histogram<string>).observe({ ...labels, ...base }, value);
      },
    };
  }

  #connectorMetric(name: string, type: "counter" | "histogram", labels: MetricLabels) {
    const existing = this.#connectorMetrics.get(name) ?? reuse(this.registry, name);
    if (existing) return existing;
    const labelNames = [...Object.keys(labels).map(sanitize), "integration", "step"];
    const help = `Connector metric ${name}.`;
    const metric =
      type === "counter"
        ? new Counter({ name, help, labelNames, registers: [this.registry] })
        : new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [this.registry] });
    this.#connectorMetrics.set(name, metric);
    return metric;
  }
}

function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, "_");
}

// biome-ignore lint/suspicious/noExplicitAny: prom-client's getSingleMetric returns a bare Metric.
function reuse<T = any>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}
