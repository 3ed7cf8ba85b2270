import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { defineProducer, z } from "@vrsky/sdk";

/** The producer's config: one schema drives validation, the manifest, docs and prompts. */
export const Config = z.object({
  directory: z.string().min(1).describe("The directory each message is written to, as <message id>.json."),
  indent: z
    .number()
    .int()
    .min(0)
    .max(8)
    .default(2)
    .describe("Spaces of JSON indentation; 0 writes one line."),
});
/** The parsed config. */
export type Config = z.infer<typeof Config>;

/**
 * {{title}}: writes each JSON message to a file named after its id. Replace the body of
 * `deliver` with a call to your target system; keep it idempotent by `message.id`, because a
 * retried message arrives again with the same id.
 */
export default defineProducer({
  name: "{{name}}",
  version: "0.1.0",
  description: "Writes each JSON message to a file named after the message id.",
  config: Config,
  categories: ["files"],
  examples: [{ title: "Write to ./out", config: { directory: "./out" } }],
  async init(ctx) {
    await mkdir(ctx.config.directory, { recursive: true });
  },
  async deliver(message, ctx) {
    const value = await message.json(); // a FatalError for a body that is not JSON
    const file = join(ctx.config.directory, `${message.id}.json`);
    // Write then rename: a crash mid-write never leaves a half-written file under the final name,
    // and delivering the same id twice replaces the file with the same content.
    const partial = `${file}.partial`;
    await writeFile(partial, `${JSON.stringify(value, null, ctx.config.indent)}\n`);
    await rename(partial, file);
  },
});
