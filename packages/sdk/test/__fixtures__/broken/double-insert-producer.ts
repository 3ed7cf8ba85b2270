import { defineProducer, z } from "@vrsky/sdk";

/** The target: rows appended by the producer. */
export const rows: string[] = [];

/** Broken on purpose: appends a row on every delivery, ignoring msg.id, so a retry inserts twice. */
export default defineProducer({
  name: "append-rows",
  version: "1.0.0",
  description: "Appends each message body as a row (not idempotent on purpose).",
  config: z.object({}),
  examples: [{ title: "Default", config: {} }],
  async deliver(msg) {
    rows.push(await msg.text());
  },
});
