import { defineConverter, z } from "@vrsky/sdk";

/** Adds a `label` field to every JSON object message. */
export default defineConverter({
  name: "stamp",
  version: "0.1.0",
  description: "Adds a label field to every JSON object message.",
  config: z.object({ label: z.string().min(1) }),
  examples: [{ title: "Label as orders", config: { label: "orders" } }],
  async convert(message, ctx) {
    const body = await message.json(z.record(z.string(), z.unknown()));
    return { json: { ...body, label: ctx.config.label } };
  },
});
