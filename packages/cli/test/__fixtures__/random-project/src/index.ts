import { defineConverter, z } from "@vrsky/sdk";

/** Breaks the conformance suite on purpose: the same input gives a different output each time. */
export default defineConverter({
  name: "random-tag",
  version: "0.0.1",
  description: "Tags each message with a random number.",
  config: z.object({}),
  examples: [{ title: "Default", config: {} }],
  convert: () => ({ json: { tag: Math.random() } }),
});
