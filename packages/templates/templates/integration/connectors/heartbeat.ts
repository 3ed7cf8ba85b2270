import { setTimeout as delay } from "node:timers/promises";
import { defineConsumer, z } from "@vrsky/sdk";

/** Emits a numbered heartbeat every `intervalMs`; replace it with a built-in source or your own. */
export default defineConsumer({
  name: "heartbeat",
  version: "0.1.0",
  description: "Emits a numbered heartbeat message at a fixed interval.",
  config: z.object({
    intervalMs: z.number().int().min(0).default(1000),
    count: z.number().int().positive().optional(),
  }),
  checkpoint: z.number().int().min(0),
  examples: [{ title: "Every second", config: { intervalMs: 1000 } }],
  async start(ctx, emit) {
    const { intervalMs, count } = ctx.config;
    for (let n = (await ctx.checkpoint.load()) ?? 0; count === undefined || n < count; n++) {
      if (ctx.signal.aborted) return;
      await emit({ json: { n }, key: `heartbeat-${n}` }, { checkpoint: n + 1 });
      if (intervalMs > 0) await delay(intervalMs, undefined, { signal: ctx.signal }).catch(() => undefined);
    }
  },
});
