import { defineConsumer, defineProducer, z } from "@vrsky/sdk";

/**
 * The source of a dev integration that wraps a single converter, filter or producer: it emits
 * nothing by itself — `vrsky send` publishes straight into the integration's ingress.
 */
export const devInbox = defineConsumer({
  name: "dev-inbox",
  version: "1.0.0",
  description: "Receives messages sent with `vrsky send` (dev only).",
  config: z.object({}),
  singleton: false,
  examples: [{ title: "No settings", config: {} }],
  async start(ctx) {
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
  },
});

/** A sink for dev integrations: logs each delivery (the live view shows the messages). */
export const devLog = defineProducer({
  name: "dev-log",
  version: "1.0.0",
  description: "Logs what it receives (dev only).",
  config: z.object({}),
  examples: [{ title: "No settings", config: {} }],
  async deliver(msg, ctx) {
    ctx.logger.info({ msgId: msg.id, contentType: msg.contentType, size: msg.size }, "delivered");
  },
});
