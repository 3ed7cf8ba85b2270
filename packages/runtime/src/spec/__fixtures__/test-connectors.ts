import { defineConsumer, defineConverter, defineFilter, defineProducer, secret, z } from "@vrsky/sdk";

/** A consumer with a secret token. */
export const webhookIn = defineConsumer({
  name: "webhook-in",
  version: "1.0.0",
  description: "Receives test webhooks.",
  config: z.object({ path: z.string().startsWith("/"), token: secret(z.string()).optional() }),
  async start() {},
});

/** A converter whose expression is required. */
export const jsonMap = defineConverter({
  name: "json-map",
  version: "1.0.0",
  description: "Maps JSON bodies.",
  config: z.object({ expression: z.string().min(1) }),
  convert: (message) => message,
});

/** A filter that routes to `big` or `small`. */
export const amountRouter = defineFilter({
  name: "amount-router",
  version: "1.0.0",
  description: "Routes by amount.",
  config: z.object({ threshold: z.number() }),
  routes: ["big", "small"],
  filter: () => "big",
});

/** A producer with a secret password and secret header values. */
export const dbOut = defineProducer({
  name: "db-out",
  version: "1.0.0",
  description: "Writes rows.",
  config: z.object({
    url: z.string(),
    password: secret(z.string()).optional(),
    headers: z.record(z.string(), secret(z.string())).default({}),
  }),
  async deliver() {},
});

/** A producer whose whole webhook URL is secret. */
export const chatOut = defineProducer({
  name: "chat-out",
  version: "1.0.0",
  description: "Posts to a chat.",
  config: z.object({ webhookUrl: secret(z.url()) }),
  async deliver() {},
});

/** The test connectors, as a resolver's built-ins. */
export const builtins = [webhookIn, jsonMap, amountRouter, dbOut, chatOut];
