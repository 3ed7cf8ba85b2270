import { defineConsumer, z } from "@vrsky/sdk";

/** Broken on purpose: keeps no checkpoint and no keys, so every restart emits everything again. */
export default defineConsumer({
  name: "replay-all",
  version: "1.0.0",
  description: "Emits a fixed list from the start on every run (repeats messages on purpose).",
  config: z.object({}),
  examples: [{ title: "Default", config: {} }],
  async start(_ctx, emit) {
    for (const letter of ["a", "b", "c", "d", "e", "f"]) await emit({ body: letter });
  },
});
