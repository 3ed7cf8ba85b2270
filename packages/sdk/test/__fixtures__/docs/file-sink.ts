import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { defineProducer, FatalError, RetryableError, z } from "@vrsky/sdk";

export const FileSinkConfig = z.object({
  directory: z.string().min(1).describe("Directory that receives one file per message; created if missing."),
  format: z
    .enum(["json", "raw"])
    .default("json")
    .describe("`json` checks and pretty-prints JSON bodies; `raw` streams any body as it is."),
});

export default defineProducer({
  name: "file-sink",
  version: "1.0.0",
  description: "Writes each message to a file named after its id, so a retried delivery replaces the file.",
  categories: ["files"],
  config: FileSinkConfig,
  examples: [{ title: "JSON files in /var/spool/vrsky", config: { directory: "/var/spool/vrsky" } }],
  async init(ctx) {
    await mkdir(ctx.config.directory, { recursive: true });
  },
  async deliver(msg, ctx) {
    // msg.id is the idempotency key: the same id always maps to the same file.
    const target = join(
      ctx.config.directory,
      `${encodeURIComponent(msg.id)}.${ctx.config.format === "json" ? "json" : "bin"}`,
    );
    // json() throws a FatalError for a malformed body: retrying would not help, so it is dead-lettered.
    const data =
      ctx.config.format === "json"
        ? `${JSON.stringify(await msg.json(), null, 2)}\n`
        : msg.stream({ signal: ctx.signal }); // bounded memory for bodies of any size
    const temp = `${target}.${ctx.attempt}.tmp`;
    try {
      await writeFile(temp, data, { signal: ctx.signal });
      await rename(temp, target); // atomic: readers never see half a file
    } catch (error) {
      await rm(temp, { force: true });
      if (error instanceof FatalError) throw error;
      throw new RetryableError(`file-sink could not write ${target}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    ctx.metrics.increment("files_written");
  },
});
