import type { Connector } from "../../connector.js";
import type { ConformanceOptions } from "./conformance-options.js";
import type { ConformanceCheckResult, ConformanceReport } from "./conformance-report.js";
import { planConformance } from "./plan-conformance.js";

/**
 * Runs the conformance suite: the checks every connector of its kind must pass before it is
 * published (manifest, config schema, clean lifecycle, typed errors, determinism, routes,
 * checkpoint resumption, retry safety). No NATS needed.
 *
 * @param connector - a connector made with a `define*` helper
 * @param options - a valid config, fixtures, and what the kind-specific checks need
 * @returns one result per check; `ok` is true when none failed
 * @throws whatever `options.setup` or `options.teardown` throw
 * @example
 * ```ts
 * const report = await checkConformance(ticker, { config: { intervalMs: 1 } });
 * if (!report.ok) console.error(formatConformanceReport(report));
 * ```
 */
export async function checkConformance(
  connector: Connector,
  options: ConformanceOptions,
): Promise<ConformanceReport> {
  const checks: ConformanceCheckResult[] = [];
  await options.setup?.();
  try {
    for (const check of planConformance(connector, options)) checks.push(await check.run());
  } finally {
    await options.teardown?.();
  }
  return { ok: checks.every((c) => c.ok), connector: connector.name, kind: connector.kind, checks };
}
