import { defineProducer, z } from "@vrsky/sdk";

/** Broken on purpose: its only example lacks the required `url` and has a negative timeout. */
export default defineProducer({
  name: "webhook-out",
  version: "1.0.0",
  description: "Posts each message to a URL (with an example that fails its own schema on purpose).",
  config: z.object({ url: z.url(), timeoutMs: z.number().int().positive().default(5000) }),
  examples: [{ title: "Slow endpoint", config: { timeoutMs: -1 } }],
  async deliver() {},
});
