// A registry connector for the tests: bundled with esbuild and published like `vrsky publish`.
import { defineConverter, z } from "@vrsky/sdk";

export default defineConverter({
  name: "acme-shout",
  version: "1.0.0",
  description: "Upper-cases the `text` field.",
  config: z.object({ suffix: z.string().default("!") }),
  examples: [{ title: "Exclaim", config: { suffix: "!" } }],
  async convert(msg, ctx) {
    const body = (await msg.json()) as { text: string };
    return { json: { ...body, text: `${body.text.toUpperCase()}${ctx.config.suffix}` } };
  },
});
