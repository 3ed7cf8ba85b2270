import { defineConsumer, z } from "@vrsky/sdk";

/** Broken on purpose: saves the checkpoint before emit, so a message that fails to emit is skipped. */
export default defineConsumer({
  name: "eager-counter",
  version: "1.0.0",
  description: "Counts upwards, checkpointing before each emit (loses messages on purpose).",
  config: z.object({}),
  checkpoint: z.number().int(),
  examples: [{ title: "Default", config: {} }],
  async start(ctx, emit) {
    let next = (await ctx.checkpoint.load()) ?? 0;
    while (!ctx.signal.aborted) {
      await ctx.checkpoint.save(next + 1);
      await emit({ json: { n: next } });
      next += 1;
    }
  },
});
