import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineConsumer, type EmitResult } from "../connector.js";
import { FatalError, RetryableError } from "../errors.js";
import { MemoryStateStore } from "./memory-state-store.js";
import { runConsumer } from "./run-consumer.js";
import { CHECKPOINT_STATE_KEY } from "./state-checkpoint-store.js";

/** Emits `count` numbered messages (or forever), keyed and checkpointed, recording what emit did. */
function counter(options: { count?: number; keyed?: boolean; events?: string[] } = {}) {
  const events = options.events ?? [];
  const consumer = defineConsumer({
    name: "counter",
    version: "1.0.0",
    description: "Counts.",
    config: z.object({}),
    checkpoint: z.number().int(),
    async start(ctx, emit) {
      for (
        let n = (await ctx.checkpoint.load()) ?? 0;
        options.count === undefined || n < options.count;
        n++
      ) {
        let result: EmitResult;
        try {
          result = await emit(
            { json: { n }, ...(options.keyed ? { key: `k${n}` } : {}) },
            { checkpoint: n + 1 },
          );
        } catch (error) {
          events.push(`emit ${n} rejected: ${(error as Error).name}`);
          throw error;
        }
        events.push(`emit ${n}${result.duplicate ? " duplicate" : ""}`);
      }
      events.push("returned");
    },
    close() {
      events.push("closed");
    },
  });
  return { consumer, events };
}

const numbers = (messages: { json(): Promise<unknown> }[]) =>
  Promise.all(messages.map(async (m) => ((await m.json()) as { n: number }).n));

describe("runConsumer", () => {
  it("accepts messages until start returns, saving the checkpoint in state", async () => {
    const { consumer, events } = counter({ count: 3 });
    const state = new MemoryStateStore();
    const run = await runConsumer(consumer, {}, { state });
    expect(run.ended).toBe("exhausted");
    expect(await numbers(run.messages)).toEqual([0, 1, 2]);
    expect(run.checkpoint).toBe(3);
    expect(state.snapshot()).toEqual({ [CHECKPOINT_STATE_KEY]: 3 });
    expect(run.messages[0]?.meta).toMatchObject({
      source: "counter",
      attempt: 1,
      contentType: "application/json",
    });
    expect(events.slice(-2)).toEqual(["returned", "closed"]);
  });

  it("stops at maxMessages by aborting the signal and refuses later emits", async () => {
    const { consumer, events } = counter();
    const run = await runConsumer(consumer, {}, { maxMessages: 2 });
    expect(run.ended).toBe("maxMessages");
    expect(run.messages).toHaveLength(2);
    expect(events).toEqual(["emit 0", "emit 1", "emit 2 rejected: RetryableError", "closed"]);
    expect(run.stopError).toBeInstanceOf(RetryableError);
  });

  it("simulates a crash when accept returns false: that emit rejects and its checkpoint is not saved", async () => {
    const { consumer, events } = counter();
    const state = new MemoryStateStore();
    const run = await runConsumer(consumer, {}, { state, accept: (_msg, index) => index < 2 });
    expect(run.ended).toBe("rejected");
    expect(await numbers(run.messages)).toEqual([0, 1]);
    expect(run.checkpoint).toBe(2);
    expect(events).toContain("emit 2 rejected: RetryableError");
    const resumed = await runConsumer(consumer, {}, { state, maxMessages: 1 });
    expect(await numbers(resumed.messages)).toEqual([2]);
  });

  it("de-duplicates keys across runs that share state, reporting the first id", async () => {
    const { consumer, events } = counter({ count: 2, keyed: true });
    const state = new MemoryStateStore();
    const first = await runConsumer(consumer, {}, { state });
    await state.delete(CHECKPOINT_STATE_KEY); // replay from the start
    const second = await runConsumer(consumer, {}, { state });
    expect(second.messages).toEqual([]);
    expect(second.duplicates).toBe(2);
    expect(events.filter((e) => e.endsWith("duplicate"))).toEqual(["emit 0 duplicate", "emit 1 duplicate"]);
    expect(first.messages).toHaveLength(2);
  });

  it("stops after timeoutMs a consumer that waits for input", async () => {
    const waiting = defineConsumer({
      name: "waiting",
      version: "1.0.0",
      description: "Waits for its signal.",
      config: z.object({}),
      async start(ctx) {
        await once(ctx.signal, "abort");
      },
    });
    const run = await runConsumer(waiting, {}, { timeoutMs: 5 });
    expect(run).toMatchObject({ ended: "timeout", messages: [], checkpoint: undefined });
  });

  it("ends as aborted when the caller's signal aborts", async () => {
    const { consumer } = counter();
    const controller = new AbortController();
    const run = await runConsumer(
      consumer,
      {},
      {
        signal: controller.signal,
        accept: (_msg, index) => {
          if (index === 1) controller.abort();
          return true;
        },
      },
    );
    expect(run.ended).toBe("aborted");
    expect(run.messages).toHaveLength(1);
  });

  it("fails when start does not return after its signal aborts, and still closes", async () => {
    const events: string[] = [];
    const deaf = defineConsumer({
      name: "deaf",
      version: "1.0.0",
      description: "Ignores its signal.",
      config: z.object({}),
      start: () => new Promise<void>(() => {}),
      close: () => {
        events.push("closed");
      },
    });
    const error = await runConsumer(deaf, {}, { timeoutMs: 1, stopTimeoutMs: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toMatch(
      /did not return from start\(\) within 5 ms after ctx.signal aborted/,
    );
    expect(events).toEqual(["closed"]);
  });

  it("rethrows what start throws on its own and still closes", async () => {
    const events: string[] = [];
    const failing = defineConsumer({
      name: "failing",
      version: "1.0.0",
      description: "Fails.",
      config: z.object({}),
      start: async () => {
        throw new Error("connection refused");
      },
      close: () => {
        events.push("closed");
      },
    });
    await expect(runConsumer(failing, {}, {})).rejects.toThrow("connection refused");
    expect(events).toEqual(["closed"]);
  });

  it("refuses a stored checkpoint that does not match the checkpoint schema", async () => {
    const { consumer } = counter({ count: 1 });
    const state = new MemoryStateStore({ [CHECKPOINT_STATE_KEY]: "not a number" });
    await expect(runConsumer(consumer, {}, { state })).rejects.toThrow(
      /does not match its checkpoint schema/,
    );
  });

  it("moves large emitted bodies behind a claim check", async () => {
    const big = defineConsumer({
      name: "big",
      version: "1.0.0",
      description: "Emits one large body.",
      config: z.object({}),
      async start(_ctx, emit) {
        await emit({ body: "x".repeat(100) });
      },
    });
    const run = await runConsumer(big, {}, { referenceThreshold: 10 });
    expect(run.messages[0]?.isReference).toBe(true);
    expect(await run.messages[0]?.text()).toBe("x".repeat(100));
  });
});
