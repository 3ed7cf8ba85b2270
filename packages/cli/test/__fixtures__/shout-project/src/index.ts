import { defineConverter, FatalError, z } from "@vrsky/sdk";

export default defineConverter({
  name: "shout",
  version: "1.2.3",
  description: "Upper-cases text bodies and appends a suffix.",
  config: z.object({ suffix: z.string().default("!") }),
  examples: [{ title: "Exclaim", config: { suffix: "!" } }],
  async convert(message, ctx) {
    const text = (await message.text()).trim();
    if (text === "") throw new FatalError(`message ${message.id}: empty body`);
    return { body: `${text.toUpperCase()}${ctx.config.suffix}` };
  },
});
