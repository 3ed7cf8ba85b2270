import { randomUUID } from "node:crypto";
import { defineConverter, z } from "@vrsky/sdk";

/** Broken on purpose: stamps every output with a fresh random id, so a retry differs. */
export default defineConverter({
  name: "stamp-random",
  version: "1.0.0",
  description: "Wraps the body with a random trace id (nondeterministic on purpose).",
  config: z.object({}),
  examples: [{ title: "Default", config: {} }],
  async convert(msg) {
    return { json: { trace: randomUUID(), body: await msg.text() } };
  },
});
