import { describe, expect, it } from "vitest";
import type { IntegrationStatus, IntegrationSummary } from "./integrations-api.js";
import { describeStatus, waitForIntegration } from "./wait-for-integration.js";

const summary = (status: Partial<IntegrationStatus> | null): IntegrationSummary => ({
  name: "orders",
  desiredState: "running",
  currentVersion: 2,
  status:
    status === null
      ? null
      : {
          state: "starting",
          version: 2,
          worker: "w1",
          error: null,
          counters: null,
          updatedAt: "2025-01-01T00:00:00.000Z",
          ...status,
        },
  updatedAt: "2025-01-01T00:00:00.000Z",
});

/** A reader answering each summary in turn, then the last one forever. */
const reader = (...answers: IntegrationSummary[]) => {
  let reads = 0;
  return {
    read: async () => answers[Math.min(reads++, answers.length - 1)] as IntegrationSummary,
    reads: () => reads,
  };
};

describe("waitForIntegration", () => {
  it("waits past an older version running until the new one runs", async () => {
    const { read, reads } = reader(
      summary(null),
      summary({ state: "running", version: 1 }),
      summary({ state: "starting" }),
      summary({ state: "running" }),
    );
    const seen: string[] = [];
    const outcome = await waitForIntegration(read, {
      version: 2,
      timeoutMs: 10_000,
      intervalMs: 1,
      onProgress: (s) => seen.push(describeStatus(s)),
    });
    expect(outcome).toMatchObject({ kind: "running", status: { version: 2, worker: "w1" } });
    expect(reads()).toBe(4);
    expect(seen).toEqual(["no status reported yet", "running v1", "starting v2", "running v2"]);
  });

  it("reports the version failing with its error, but not an older version's failure", async () => {
    const { read } = reader(
      summary({ state: "failed", version: 1, error: "old" }),
      summary({ state: "failed", error: "cannot bind port 8787" }),
    );
    const outcome = await waitForIntegration(read, { version: 2, timeoutMs: 10_000, intervalMs: 1 });
    expect(outcome).toMatchObject({ kind: "failed", status: { error: "cannot bind port 8787" } });
  });

  it("gives up after the timeout with the last summary", async () => {
    const { read } = reader(summary({ state: "restarting", error: "crashed" }));
    const outcome = await waitForIntegration(read, { version: 2, timeoutMs: 20, intervalMs: 5 });
    expect(outcome.kind).toBe("timeout");
    if (outcome.kind === "timeout") expect(describeStatus(outcome.last)).toBe("restarting v2: crashed");
  });

  it("stops when its signal is aborted", async () => {
    const { read } = reader(summary(null));
    const stop = new AbortController();
    const waiting = waitForIntegration(read, {
      version: 2,
      timeoutMs: 60_000,
      intervalMs: 60_000,
      signal: stop.signal,
    });
    stop.abort(new Error("interrupted"));
    await expect(waiting).rejects.toThrow("interrupted");
  });
});
