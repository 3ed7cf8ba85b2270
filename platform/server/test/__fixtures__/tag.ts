// A tenant's own connector for the end-to-end test: stamps each message with a tag.
import { defineConverter, z } from "@vrsky/sdk";

export default defineConverter({
  name: "tenant-tag",
  version: "1.0.0",
  description: "Adds `tag` to each JSON message.",
  config: z.object({ tag: z.string() }),
  examples: [{ title: "Tag", config: { tag: "a" } }],
  async convert(msg, ctx) {
    return { json: { ...((await msg.json()) as object), tag: ctx.config.tag } };
  },
});
