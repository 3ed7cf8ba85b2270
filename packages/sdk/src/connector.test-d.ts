import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { secret } from "./config.js";
import { type Connector, defineConsumer, defineFilter, defineProducer } from "./connector.js";
import type { Message } from "./message.js";

describe("connector definitions", () => {
  it("infers config, resources and checkpoint types from the definition", () => {
    const ticker = defineConsumer({
      name: "ticker",
      version: "1.0.0",
      description: "Emits a counter.",
      config: z.object({ count: z.number(), token: secret(z.string()) }),
      checkpoint: z.object({ next: z.number() }),
      init: (ctx) => ({ limit: ctx.config.count * 2 }),
      async start(ctx, emit) {
        expectTypeOf(ctx.config).toEqualTypeOf<{ count: number; token: string }>();
        expectTypeOf(ctx.resources).toEqualTypeOf<{ limit: number }>();
        expectTypeOf(await ctx.checkpoint.load()).toEqualTypeOf<{ next: number } | undefined>();
        await emit({ json: 1 }, { checkpoint: { next: 1 } });
      },
    });
    expectTypeOf(ticker.kind).toEqualTypeOf<"consumer">();
    expectTypeOf(ticker).toExtend<Connector>();
  });

  it("gives producers the message and an attempt number", () => {
    const sink = defineProducer({
      name: "sink",
      version: "1.0.0",
      description: "Drops everything.",
      config: z.object({ url: z.string() }),
      async deliver(message, ctx) {
        expectTypeOf(message).toEqualTypeOf<Message>();
        expectTypeOf(ctx.attempt).toBeNumber();
        expectTypeOf(ctx.resources).toBeUndefined();
      },
    });
    expectTypeOf(sink).toExtend<Connector>();
  });

  it("accepts route names and booleans as filter decisions", () => {
    defineFilter({
      name: "router",
      version: "1.0.0",
      description: "Routes.",
      config: z.object({}),
      filter: (_m, _ctx) => (Math.random() > 0.5 ? ["a", "b"] : false),
    });
  });

  it("parses json bodies to the schema's type", async () => {
    const read = async (m: Message) => m.json(z.object({ id: z.number() }));
    expectTypeOf(read).returns.resolves.toEqualTypeOf<{ id: number }>();
    const raw = async (m: Message) => m.json();
    expectTypeOf(raw).returns.resolves.toBeUnknown();
  });
});
