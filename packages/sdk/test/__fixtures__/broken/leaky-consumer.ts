import { defineConsumer, z } from "@vrsky/sdk";

/** Broken on purpose: starts a heartbeat interval in start() and never clears it. */
export default defineConsumer({
  name: "leaky-heartbeat",
  version: "1.0.0",
  description: "Emits three messages and leaks a heartbeat interval (broken on purpose).",
  config: z.object({}),
  examples: [{ title: "Default", config: {} }],
  async start(ctx, emit) {
    setInterval(() => ctx.logger.debug("still alive"), 60_000);
    for (let i = 0; i < 3 && !ctx.signal.aborted; i++) await emit({ json: { i }, key: `beat-${i}` });
  },
});
