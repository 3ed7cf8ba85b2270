import { defineProducer, z } from "@vrsky/sdk";

/** Logs every message it receives; replace it with a built-in sink or your own. */
export default defineProducer({
  name: "log-out",
  version: "0.1.0",
  description: "Logs the id and JSON body of every message it receives.",
  config: z.object({}),
  examples: [{ title: "Log everything", config: {} }],
  async deliver(message, ctx) {
    ctx.logger.info({ id: message.id, body: await message.json() }, "delivered");
  },
});
