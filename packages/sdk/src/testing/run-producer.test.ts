import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type BatchOutcome, defineProducer } from "../connector.js";
import { FatalError, RetryableError } from "../errors.js";
import type { Message } from "../message.js";
import { runProducer } from "./run-producer.js";
import { createTestMessage } from "./test-message.js";

function recorder(batchOutcomes?: (batch: readonly Message[]) => readonly BatchOutcome[] | undefined) {
  const calls: string[] = [];
  const producer = defineProducer({
    name: "recorder",
    version: "1.0.0",
    description: "Records deliveries.",
    config: z.object({}),
    batch: { maxSize: 2 },
    async deliver(msg, ctx) {
      const text = await msg.text();
      if (text === "fatal") throw new FatalError("bad message");
      calls.push(`${text}@${ctx.attempt}/${msg.meta.attempt}`);
    },
    ...(batchOutcomes
      ? {
          async deliverBatch(messages: readonly Message[]) {
            calls.push(`batch ${messages.length}`);
            return batchOutcomes(messages);
          },
        }
      : {}),
  });
  return { producer, calls };
}

describe("runProducer", () => {
  it("delivers every input and collects failures without stopping", async () => {
    const { producer, calls } = recorder();
    const result = await runProducer(producer, {}, [{ body: "a" }, { body: "fatal" }, { body: "b" }]);
    expect(calls).toEqual(["a@1/1", "b@1/1"]);
    expect(result.delivered).toHaveLength(2);
    expect(result.failures).toEqual([{ message: expect.anything(), error: expect.any(FatalError) }]);
  });

  it("delivers built messages as the given attempt, keeping their ids", async () => {
    const { producer, calls } = recorder();
    const msg = await createTestMessage({ id: "same", body: "a" });
    const { delivered } = await runProducer(producer, {}, [msg], { attempt: 2 });
    expect(calls).toEqual(["a@2/2"]);
    expect(delivered[0]?.id).toBe("same");
  });

  it("uses deliverBatch in batches of maxSize and maps outcomes to messages", async () => {
    const { producer, calls } = recorder((batch) =>
      batch.length === 2 ? [{ ok: true }, { ok: false, error: new RetryableError("busy") }] : undefined,
    );
    const { delivered, failures } = await runProducer(
      producer,
      {},
      [{ body: "1" }, { body: "2" }, { body: "3" }],
      {
        batch: true,
      },
    );
    expect(calls).toEqual(["batch 2", "batch 1"]);
    expect(await Promise.all(delivered.map((m) => m.text()))).toEqual(["1", "3"]);
    expect(await failures[0]?.message.text()).toBe("2");
  });

  it("rejects a batch outcome list of the wrong length", async () => {
    const { producer } = recorder(() => [{ ok: true }]);
    await expect(runProducer(producer, {}, [{ body: "1" }, { body: "2" }], { batch: true })).rejects.toThrow(
      /returned 1 outcomes from deliverBatch for a batch of 2 messages/,
    );
  });
});
