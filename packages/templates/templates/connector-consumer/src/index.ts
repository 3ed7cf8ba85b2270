import { setTimeout as delay } from "node:timers/promises";
import { defineConsumer, z } from "@vrsky/sdk";

/** The consumer's config: one schema drives validation, the manifest, docs and prompts. */
export const Config = z.object({
  intervalMs: z.number().int().min(0).default(1000).describe("Pause between two messages, in milliseconds."),
  count: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Stop after this many messages; unset runs forever."),
});
/** The parsed config. */
export type Config = z.infer<typeof Config>;

/**
 * {{title}}: emits a numbered heartbeat message every `intervalMs`. Replace the loop with
 * reads from your system; keep the checkpoint (where you got to) and the key (the source's own
 * id for a message) so a restart resumes without losing or repeating messages.
 */
export default defineConsumer({
  name: "{{name}}",
  version: "0.1.0",
  description: "Emits a numbered heartbeat message at a fixed interval.",
  config: Config,
  checkpoint: z.number().int().min(0),
  categories: ["scheduling"],
  examples: [{ title: "Ten heartbeats a second apart", config: { intervalMs: 1000, count: 10 } }],
  async start(ctx, emit) {
    const { intervalMs, count } = ctx.config;
    for (let n = (await ctx.checkpoint.load()) ?? 0; count === undefined || n < count; n++) {
      if (ctx.signal.aborted) return;
      // `await emit` returns once the message is durably accepted: it is the back-pressure.
      await emit({ json: { n }, key: `{{name}}-${n}` }, { checkpoint: n + 1 });
      if (intervalMs > 0) await delay(intervalMs, undefined, { signal: ctx.signal }).catch(() => undefined);
    }
  },
});
