import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ConfigError, type ConsumerContext, defineConsumer, type Emit, FatalError } from "@vrsky/sdk";
import { FileInCheckpoint, FileInConfig } from "./config.js";
import { DirectoryScanner, type FoundFile, isMissing, StabilityTracker } from "./directory-scan.js";
import { deleteFile, moveFile } from "./file-disposal.js";
import { readRecords } from "./file-records.js";

type Context = ConsumerContext<FileInConfig, undefined, FileInCheckpoint>;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".json": "application/json",
  ".ndjson": "application/x-ndjson",
  ".jsonl": "application/x-ndjson",
  ".csv": "text/csv",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
};

/**
 * `file-in`: takes files from a directory once they stop changing, and emits each as one
 * message (its body streamed, never held in memory) or one message per NDJSON line / CSV row.
 *
 * Once every message of a file is accepted, the file is moved to the processed directory (or
 * deleted). The checkpoint names the last file and how many of its messages were accepted, so
 * after a crash a half-read file resumes at its next row, and a file accepted but not yet moved
 * is moved without being emitted again. Keys (`<path>:<size>:<mtimeMs>`, plus `:<row>` per row)
 * let the runtime drop anything emitted twice.
 *
 * @example
 * ```yaml
 * source:
 *   connector: file-in
 *   config: { directory: /data/inbox, patterns: ["*.csv"], mode: lines, format: csv }
 * ```
 */
export const fileIn = defineConsumer<FileInConfig, undefined, FileInCheckpoint>({
  name: "file-in",
  version: "1.0.0",
  description:
    "Takes files from a directory once they are complete: one message per file, or per NDJSON line or CSV row.",
  categories: ["file"],
  icon: "folder",
  config: FileInConfig,
  checkpoint: FileInCheckpoint,
  singleton: true,
  examples: [
    {
      title: "Emit each PDF dropped into an inbox, then move it aside",
      config: { directory: "/data/inbox", patterns: ["*.pdf"], contentType: "application/pdf" },
    },
    {
      title: "One message per row of each CSV export, deleting the file afterwards",
      config: {
        directory: "/data/exports",
        patterns: ["orders-*.csv"],
        mode: "lines",
        format: "csv",
        delimiter: ";",
        afterRead: "delete",
      },
    },
  ],
  async start(ctx, emit) {
    const { config, signal } = ctx;
    const root = resolve(config.directory);
    const processed = resolve(root, config.processedDirectory ?? ".processed");
    await checkDirectory(root, config.directory);
    const scanner = new DirectoryScanner({ root, patterns: config.patterns, skip: [processed] });
    const tracker = new StabilityTracker(config.stableForMs);
    let last = await ctx.checkpoint.load();
    while (!signal.aborted) {
      for (const file of tracker.stable(await scanner.list(), Date.now())) {
        if (signal.aborted) return;
        last = await takeFile(ctx, emit, file, last, processed);
      }
      try {
        await sleep(config.pollIntervalMs, undefined, { signal });
      } catch {
        return; // aborted: the step is stopping
      }
    }
  },
});

async function checkDirectory(root: string, configured: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(root)).isDirectory();
  } catch (error) {
    if (!isMissing(error))
      throw new FatalError(`cannot read directory ${root}: ${(error as Error).message}`, { cause: error });
    isDirectory = false;
  }
  if (!isDirectory) {
    throw new ConfigError(
      [
        {
          path: "directory",
          message: `${configured} (${root}) is not an existing directory: create it, or fix the path`,
        },
      ],
      { where: 'the config of consumer "file-in"' },
    );
  }
}

/**
 * Emits one file (whole or row by row, resuming after `last` when it names this file) and then
 * moves or deletes it.
 * @returns the checkpoint after this file
 */
async function takeFile(
  ctx: Context,
  emit: Emit<FileInCheckpoint>,
  file: FoundFile,
  last: FileInCheckpoint | undefined,
  processed: string,
): Promise<FileInCheckpoint | undefined> {
  const { config, signal } = ctx;
  // Still the file that was found stable? If it changed or went, the next listing decides.
  const now = await stat(file.path).catch(() => undefined);
  if (!now || now.size !== file.size || now.mtimeMs !== file.mtimeMs) return last;
  const key = `${file.relative}:${file.size}:${file.mtimeMs}`;
  const done = last?.key === key ? last.row : 0;
  const headers = {
    "x-file-name": file.relative,
    "x-file-size": String(file.size),
    "x-file-mtime": new Date(file.mtimeMs).toISOString(),
  };
  let checkpoint = last?.key === key ? last : undefined;
  if (config.mode === "file") {
    if (done === 0) {
      const body = createReadStream(file.path);
      checkpoint = { file: file.relative, key, row: 1 };
      try {
        const contentType =
          config.contentType ?? CONTENT_TYPES[extname(file.path).toLowerCase()] ?? "application/octet-stream";
        await emit({ body, contentType, headers, key }, { checkpoint });
      } finally {
        body.destroy();
      }
    }
  } else {
    let row = 0;
    const records = readRecords(file.path, {
      format: config.format ?? "ndjson",
      delimiter: config.delimiter,
      onSkip: (line, reason) => {
        ctx.metrics.increment("rows_skipped", 1, { format: config.format ?? "ndjson" });
        ctx.logger.error(
          { file: file.relative, line },
          `skipped line ${line} of ${file.relative}: ${reason}`,
        );
      },
    });
    // The signal is checked per record rather than passed to the read: once the last record is
    // accepted, the file is still moved even if the step began stopping meanwhile.
    for await (const value of records) {
      row++;
      if (row <= done) continue;
      if (signal.aborted) return checkpoint;
      checkpoint = { file: file.relative, key, row };
      await emit(
        { json: value, key: `${key}:${row}`, headers: { ...headers, "x-file-row": String(row) } },
        { checkpoint },
      );
    }
  }
  if (config.afterRead === "delete") await deleteFile(file.path);
  else await moveFile(file.path, file.relative, processed);
  return checkpoint ?? last;
}
