import type { ConnectorMetrics, MetricLabels } from "../context.js";

/** One metric call a handler made. */
export interface MetricSample {
  /** `counter` for `increment`, `histogram` for `observe`. */
  type: "counter" | "histogram";
  /** Metric name as the connector gave it. */
  name: string;
  /** The increment or the observation. */
  value: number;
  /** Labels given with the call. */
  labels: MetricLabels;
}

/**
 * {@link ConnectorMetrics} that records every call in `samples`, for assertions.
 *
 * @example
 * ```ts
 * const { metrics, samples } = recordMetrics();
 * metrics.increment("rows", 3);
 * samples; // [{ type: "counter", name: "rows", value: 3, labels: {} }]
 * ```
 */
export function recordMetrics(): { metrics: ConnectorMetrics; samples: MetricSample[] } {
  const samples: MetricSample[] = [];
  const metrics: ConnectorMetrics = {
    increment(name, value = 1, labels = {}) {
      samples.push({ type: "counter", name, value, labels: { ...labels } });
    },
    observe(name, value, labels = {}) {
      samples.push({ type: "histogram", name, value, labels: { ...labels } });
    },
  };
  return { metrics, samples };
}

/**
 * The total of a counter (or the sum of a histogram's observations) over matching samples.
 * @param samples - recorded samples
 * @param name - metric name
 * @param labels - only samples carrying all these labels count @default {}
 */
export function metricTotal(
  samples: readonly MetricSample[],
  name: string,
  labels: MetricLabels = {},
): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
