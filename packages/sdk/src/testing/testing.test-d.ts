import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { defineConsumer, defineProducer } from "../connector.js";
import type { ConnectorContext } from "../context.js";
import type { Message } from "../message.js";
import { runConsumer } from "./run-consumer.js";
import { runProducer } from "./run-producer.js";
import { createTestContext } from "./test-context.js";
import { createTestMessage } from "./test-message.js";

const sink = defineProducer({
  name: "sink",
  version: "1.0.0",
  description: "Typed sink.",
  config: z.object({ url: z.string(), retries: z.number().default(3) }),
  init: () => ({ client: { post: (_body: string): boolean => true } }),
  async deliver() {},
});

describe("test kit types", () => {
  it("infers the config and resources of the context from the connector", async () => {
    const handle = await createTestContext(sink, { config: { url: "x" } });
    expectTypeOf(handle.ctx).toEqualTypeOf<
      ConnectorContext<{ url: string; retries: number }, { client: { post: (body: string) => boolean } }>
    >();
    expectTypeOf(handle.close).returns.resolves.toBeVoid();
  });

  it("takes raw configs as unknown and message inits with pinned fields", async () => {
    expectTypeOf(
      runProducer(sink, { anything: true }, [{ id: "m1", json: 1, attempt: 2 }]),
    ).resolves.toHaveProperty("delivered");
    expectTypeOf(await createTestMessage({ body: "x" })).toEqualTypeOf<Message>();
    // @ts-expect-error a body and a json value are exclusive
    await createTestMessage({ body: "x", json: 1 });
  });

  it("types a consumer run's outcome", async () => {
    const ticker = defineConsumer({
      name: "t",
      version: "1.0.0",
      description: "Typed consumer.",
      config: z.object({}),
      checkpoint: z.number(),
      async start() {},
    });
    const run = await runConsumer(ticker, {}, { maxMessages: 1, accept: (msg, i) => msg.size > i });
    expectTypeOf(run.ended).toEqualTypeOf<"exhausted" | "maxMessages" | "timeout" | "rejected" | "aborted">();
    expectTypeOf(run.messages).toEqualTypeOf<Message[]>();
  });
});
