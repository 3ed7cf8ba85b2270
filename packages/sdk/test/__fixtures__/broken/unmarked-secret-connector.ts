import { defineProducer, z } from "@vrsky/sdk";

/** Broken on purpose: its `apiToken` is not wrapped in secret(), and it has no examples. */
export default defineProducer({
  name: "chat-notify",
  version: "1.0.0",
  description: "Sends each message to a chat channel (with an unmarked secret on purpose).",
  config: z.object({ channel: z.string(), apiToken: z.string().min(1) }),
  async deliver() {},
});
