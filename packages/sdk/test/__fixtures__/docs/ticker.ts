import { setTimeout as sleep } from "node:timers/promises";
import { defineConsumer, z } from "@vrsky/sdk";

/** Config of the ticker: one schema gives the type, the validation, the docs and the prompts. */
export const TickerConfig = z.object({
  intervalMs: z.number().int().nonnegative().default(1000).describe("Pause between ticks, in milliseconds."),
  count: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Stop after this many ticks; without it, run forever."),
  label: z.string().min(1).default("tick").describe("Name carried in every tick."),
});

export default defineConsumer({
  name: "ticker",
  version: "1.0.0",
  description: "Emits a numbered tick at a fixed interval and resumes from the last accepted tick.",
  categories: ["utility"],
  config: TickerConfig,
  // The checkpoint is the number of the next tick; the runtime validates it on load.
  checkpoint: z.number().int().nonnegative(),
  examples: [
    { title: "Every second, forever", config: { intervalMs: 1000 } },
    { title: "Ten quick ticks", config: { intervalMs: 10, count: 10, label: "quick" } },
  ],
  async start(ctx, emit) {
    const { intervalMs, count, label } = ctx.config;
    let next = (await ctx.checkpoint.load()) ?? 0;
    while (!ctx.signal.aborted && (count === undefined || next < count)) {
      // Resolves once the runtime has stored the tick; only then is the checkpoint saved. If it
      // rejects, let it throw: the runtime restarts the source from the last checkpoint.
      await emit({ json: { label, n: next }, key: `${label}-${next}` }, { checkpoint: next + 1 });
      next += 1;
      try {
        await sleep(intervalMs, undefined, { signal: ctx.signal });
      } catch (error) {
        if (!ctx.signal.aborted) throw error;
      }
    }
  },
});
