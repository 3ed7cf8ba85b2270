import { setTimeout as sleep } from "node:timers/promises";
import type { IntegrationStatus, IntegrationSummary } from "./integrations-api.js";

/** How waiting for a version to run ended. */
export type WaitOutcome =
  /** The orchestrator reports the version running. */
  | { kind: "running"; status: IntegrationStatus }
  /** The orchestrator reports the version failed; `status.error` says why. */
  | { kind: "failed"; status: IntegrationStatus }
  /** Neither within the timeout; `last` is what was seen last. */
  | { kind: "timeout"; last: IntegrationSummary };

/** Options of {@link waitForIntegration}. */
export interface WaitForIntegrationOptions {
  /** The version that must run. */
  version: number;
  /** Give up after this long. */
  timeoutMs: number;
  /** Time between reads. @default 1000 */
  intervalMs?: number;
  /** Called with every summary read, e.g. to relabel a spinner. */
  onProgress?(summary: IntegrationSummary): void;
  /** Stops waiting: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Reads an integration until the orchestrator reports `version` running or failed, or the
 * timeout passes. A status about an older version (still running, or failed before) is not
 * an answer: the new version may not have been picked up yet.
 *
 * @param read - reads the integration, e.g. `() => api.get(name)`
 * @param options - the version, the timeout and the interval
 * @returns how it ended; never throws for a failed version
 * @example
 * ```ts
 * const outcome = await waitForIntegration(() => api.get("orders"), { version: 3, timeoutMs: 60_000 });
 * if (outcome.kind === "failed") console.error(outcome.status.error);
 * ```
 */
export async function waitForIntegration(
  read: () => Promise<IntegrationSummary>,
  options: WaitForIntegrationOptions,
): Promise<WaitOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 1000;
  for (;;) {
    options.signal?.throwIfAborted();
    const summary = await read();
    options.onProgress?.(summary);
    const { status } = summary;
    if (status !== null && status.version === options.version) {
      if (status.state === "running") return { kind: "running", status };
      if (status.state === "failed") return { kind: "failed", status };
    }
    const left = deadline - Date.now();
    if (left <= 0) return { kind: "timeout", last: summary };
    try {
      await sleep(Math.min(intervalMs, left), undefined, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      // The timer rejects with a generic AbortError; callers branch on the reason they gave.
      options.signal?.throwIfAborted();
      throw error;
    }
  }
}

/**
 * What an integration is doing, in a few words: `no status yet`, `running v3`, `failed v3: …`.
 * @param summary - the integration as read
 */
export function describeStatus(summary: IntegrationSummary): string {
  const { status } = summary;
  if (status === null) return "no status reported yet";
  const version = status.version === null ? "" : ` v${status.version}`;
  return `${status.state}${version}${status.error ? `: ${status.error}` : ""}`;
}
