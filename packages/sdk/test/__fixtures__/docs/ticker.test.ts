import { MemoryStateStore, runConsumer } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { describe, expect, it } from "vitest";
import ticker from "./ticker.js";

describe("ticker", () => {
  it("emits numbered ticks and stops after count", async () => {
    const run = await runConsumer(ticker, { intervalMs: 0, count: 3 });
    expect(run.ended).toBe("exhausted");
    expect(await Promise.all(run.messages.map((m) => m.json()))).toEqual([
      { label: "tick", n: 0 },
      { label: "tick", n: 1 },
      { label: "tick", n: 2 },
    ]);
  });

  it("resumes after a crash from the last accepted tick", async () => {
    const state = new MemoryStateStore();
    // Accept two ticks, then "crash" on the third.
    const first = await runConsumer(ticker, { intervalMs: 0 }, { state, accept: (_msg, i) => i < 2 });
    expect(first).toMatchObject({ ended: "rejected", checkpoint: 2 });
    const second = await runConsumer(ticker, { intervalMs: 0 }, { state, maxMessages: 1 });
    expect(await second.messages[0]?.json()).toEqual({ label: "tick", n: 2 });
  });
});

describeConformance(ticker, { config: { intervalMs: 0 } });
