import { z } from "@vrsky/sdk";

const FileInFields = z.strictObject({
  directory: z
    .string()
    .min(1)
    .describe("Directory to watch; relative paths resolve against the worker's working directory.")
    .meta({ examples: ["/data/inbox", "./incoming"] }),
  patterns: z
    .array(z.string().min(1))
    .min(1)
    .default(["*"])
    .describe(
      "Glob patterns (picomatch) matched against each file's path relative to `directory`. `*` matches files at " +
        "the top level only; a pattern with `/` or `**` (e.g. `**/*.csv`) makes the scan descend into subdirectories. " +
        "Hidden files and directories are never taken.",
    )
    .meta({ examples: [["*.csv"], ["orders-*.ndjson", "**/*.json"]] }),
  pollIntervalMs: z
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .default(1000)
    .describe("How often the directory is listed, in milliseconds.")
    .meta({ examples: [1000] }),
  stableForMs: z
    .number()
    .int()
    .min(0)
    .max(3_600_000)
    .default(1000)
    .describe(
      "A file is taken once its size and modification time stayed the same for this long (or it was last " +
        "modified at least this long ago), so files still being written are left alone.",
    )
    .meta({ examples: [1000, 5000] }),
  mode: z
    .enum(["file", "lines"])
    .default("file")
    .describe(
      "`file` emits one message per file (body streamed); `lines` one message per NDJSON line or CSV row.",
    )
    .meta({ examples: ["file", "lines"] }),
  format: z
    .enum(["ndjson", "csv"])
    .optional()
    .describe("lines mode: `ndjson` (one JSON value per line) or `csv` (the header row names the fields).")
    .meta({ examples: ["ndjson", "csv"] }),
  delimiter: z
    .string()
    .min(1)
    .max(4)
    .optional()
    .describe("csv: field delimiter.")
    .meta({ default: ",", examples: [",", ";", "\t"] }),
  contentType: z
    .string()
    .min(1)
    .optional()
    .describe(
      "file mode: content type of every message (default: from the extension — .json, .ndjson, .csv, .txt, .xml — " +
        "else application/octet-stream).",
    )
    .meta({ examples: ["text/csv"] }),
  afterRead: z
    .enum(["move", "delete"])
    .default("move")
    .describe(
      "What happens to a file once all its messages are accepted: moved to `processedDirectory`, or deleted.",
    )
    .meta({ examples: ["move", "delete"] }),
  processedDirectory: z
    .string()
    .min(1)
    .optional()
    .describe(
      "move: where taken files go (created if missing; relative paths resolve against `directory`). A name already " +
        "taken there gets a numeric suffix (`orders.1.csv`).",
    )
    .meta({ default: "<directory>/.processed", examples: ["/data/processed", "done"] }),
});

/**
 * Config of the `file-in` consumer.
 * @example
 * ```ts
 * FileInConfig.parse({ directory: "/data/inbox", patterns: ["*.csv"], mode: "lines", format: "csv" });
 * ```
 */
export const FileInConfig = FileInFields.superRefine((config, ctx) => {
  if (config.mode === "lines" && config.format === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["format"],
      message: 'required with mode "lines": "ndjson" or "csv"',
    });
  }
  if (config.mode === "file" && config.format !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["format"],
      message: 'applies only to mode "lines": remove it or set mode',
    });
  }
  if (config.mode === "lines" && config.contentType !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["contentType"],
      message: 'applies only to mode "file": lines are JSON',
    });
  }
  if (config.delimiter !== undefined && config.format !== "csv") {
    ctx.addIssue({ code: "custom", path: ["delimiter"], message: 'applies only to format "csv"' });
  }
  if (config.afterRead === "delete" && config.processedDirectory !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["processedDirectory"],
      message: 'unused with afterRead "delete": remove it, or set afterRead "move"',
    });
  }
});
/** Parsed config of the `file-in` consumer. */
export type FileInConfig = z.infer<typeof FileInConfig>;

/**
 * Where `file-in` got to: the last file it emitted from (by key: path, size and modification
 * time) and how many of its messages were accepted. A file that is still there on restart with
 * the same key resumes after that row, or — when all were accepted — is only moved.
 */
export const FileInCheckpoint = z.object({
  file: z.string().describe("Path of the file, relative to `directory`."),
  key: z.string().describe("`<path>:<size>:<mtimeMs>` of the file when it was read."),
  row: z
    .number()
    .int()
    .min(0)
    .describe("Messages of the file accepted (1 in file mode once the file is accepted)."),
});
/** A `file-in` checkpoint. */
export type FileInCheckpoint = z.infer<typeof FileInCheckpoint>;
