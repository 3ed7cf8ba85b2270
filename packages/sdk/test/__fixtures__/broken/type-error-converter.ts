import { defineConverter, z } from "@vrsky/sdk";

/** Broken on purpose: reads a nested field without checking, so bad input throws a TypeError. */
export default defineConverter({
  name: "order-id",
  version: "1.0.0",
  description: "Extracts the order id from an order event (throws TypeError on bad input on purpose).",
  config: z.object({}),
  examples: [{ title: "Default", config: {} }],
  async convert(msg) {
    const event = JSON.parse(await msg.text());
    return { json: { id: event.order.id } };
  },
});
