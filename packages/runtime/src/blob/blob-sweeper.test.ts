import type { BlobRef } from "@vrsky/sdk";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BlobSweeper, type SweepResult, startSweeper } from "./blob-sweeper.js";
import type { SweepableBlobStore } from "./sweepable-blob-store.js";

/**
 * A store whose sweeps are scripted: the schedule is what is under test here; real sweeps run
 * against both backends in blob-store.contract.test.ts.
 */
function scriptedStore(outcomes: Array<number | Error>): SweepableBlobStore & { sweeps: Date[] } {
  const sweeps: Date[] = [];
  return {
    name: "scripted",
    sweeps,
    async put(): Promise<BlobRef> {
      throw new Error("not used");
    },
    get(): AsyncIterable<Uint8Array> {
      throw new Error("not used");
    },
    async delete(): Promise<void> {},
    async sweep(now: Date = new Date()): Promise<number> {
      sweeps.push(now);
      const outcome = outcomes.shift() ?? 0;
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
}

describe("BlobSweeper", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sums what every store deleted", async () => {
    const sweeper = new BlobSweeper({ stores: [scriptedStore([2]), scriptedStore([3])] });
    expect(await sweeper.sweep()).toEqual({ deleted: 5, staleEntries: 0 });
  });

  it("sweeps every interval, reports failures, keeps going, and stops when aborted", async () => {
    const store = scriptedStore([1, new Error("S3 unreachable"), 2]);
    const controller = new AbortController();
    const results: SweepResult[] = [];
    const errors: unknown[] = [];
    startSweeper({
      stores: [store],
      intervalMs: 1000,
      signal: controller.signal,
      onSweep: (r) => results.push(r),
      onError: (e) => errors.push(e),
    });

    await vi.advanceTimersByTimeAsync(999);
    expect(store.sweeps).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(results).toEqual([{ deleted: 1, staleEntries: 0 }]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(errors).toEqual([new Error("S3 unreachable")]);
    expect(results).toEqual([
      { deleted: 1, staleEntries: 0 },
      { deleted: 2, staleEntries: 0 },
    ]);

    controller.abort();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.sweeps).toHaveLength(3);
  });

  it("does not keep the process alive", () => {
    const controller = new AbortController();
    const spy = vi.spyOn(globalThis, "setTimeout");
    new BlobSweeper({ stores: [scriptedStore([])] }).start({ intervalMs: 1000, signal: controller.signal });
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    controller.abort();
    spy.mockRestore();
  });

  it("refuses a non-positive interval", () => {
    const sweeper = new BlobSweeper({ stores: [] });
    expect(() => sweeper.start({ intervalMs: 0, signal: new AbortController().signal })).toThrow(RangeError);
  });
});
