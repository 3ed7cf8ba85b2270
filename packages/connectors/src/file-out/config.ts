import { z } from "@vrsky/sdk";
import { fileNameProblem } from "./file-name-template.js";

const RESERVED_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

/** A dotted path into the JSON body, e.g. `customer.name` or `items.0.sku`. */
export const FieldPath = z
  .string()
  .regex(/^[^.]+(\.[^.]+)*$/, "expected a dotted field path such as `customer.name`")
  .refine(
    (path) => path.split(".").every((segment) => !RESERVED_SEGMENTS.has(segment)),
    "`__proto__`, `constructor` and `prototype` are not accepted as path segments",
  );

const FileOutFields = z.strictObject({
  directory: z
    .string()
    .min(1)
    .describe(
      "Directory files are written in; relative paths resolve against the worker's working directory.",
    )
    .meta({ examples: ["/data/outbox"] }),
  fileName: z
    .string()
    .min(1)
    .default("{{ $id }}")
    .superRefine((text, ctx) => {
      const problem = fileNameProblem(text);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe(
      "File name template, relative to `directory` (`/` makes subfolders): `{{ $id }}` (message id), `{{ $date }}` " +
        "(ingestion date, UTC YYYY-MM-DD), `{{ $header.name }}`, `{{ field.path }}` (JSON body). Include `{{ $id }}` " +
        "in write mode unless messages should replace each other.",
    )
    .meta({
      examples: ["{{ $id }}.json", "{{ $date }}/order-{{ order.id }}.json", "orders-{{ $date }}.ndjson"],
    }),
  mode: z
    .enum(["write", "append"])
    .default("write")
    .describe(
      "`write`: one file per message, its body written as is (atomically: temp file, then rename). `append`: one " +
        "NDJSON or CSV line per message added to the file.",
    )
    .meta({ examples: ["write", "append"] }),
  format: z
    .enum(["ndjson", "csv"])
    .optional()
    .describe("append: line format. `ndjson` writes the JSON body on one line; `csv` writes `columns`.")
    .meta({ examples: ["ndjson", "csv"] }),
  columns: z
    .array(FieldPath)
    .min(1)
    .optional()
    .describe(
      "csv: the body fields to write, in order; also the header row, written once when the file is new.",
    )
    .meta({ examples: [["orderId", "customer.name", "total"]] }),
  delimiter: z
    .string()
    .min(1)
    .max(4)
    .optional()
    .describe("csv: field delimiter.")
    .meta({ default: ",", examples: [",", ";"] }),
  idField: z
    .string()
    .min(1)
    .optional()
    .describe(
      "append: also write the message id, as this field (ndjson) or as the first column (csv), so readers can drop " +
        "the duplicate lines a retry can append.",
    )
    .meta({ examples: ["_messageId"] }),
  createDirectory: z
    .boolean()
    .default(true)
    .describe("Create `directory` and template subfolders when missing.")
    .meta({ examples: [true] }),
});

/**
 * Config of the `file-out` producer.
 * @example
 * ```ts
 * FileOutConfig.parse({ directory: "/data/outbox", fileName: "orders-{{ $date }}.csv", mode: "append", format: "csv", columns: ["id", "total"] });
 * ```
 */
export const FileOutConfig = FileOutFields.superRefine((config, ctx) => {
  const appendOnly = ["format", "columns", "delimiter", "idField"] as const;
  if (config.mode === "write") {
    for (const key of appendOnly) {
      if (config[key] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: 'applies only to mode "append": remove it or set mode',
        });
      }
    }
    return;
  }
  if (config.format === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["format"],
      message: 'required with mode "append": "ndjson" or "csv"',
    });
  }
  if (config.format === "csv" && config.columns === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["columns"],
      message: 'required with format "csv": the fields to write, in order',
    });
  }
  for (const key of ["columns", "delimiter"] as const) {
    if (config.format === "ndjson" && config[key] !== undefined) {
      ctx.addIssue({ code: "custom", path: [key], message: 'applies only to format "csv"' });
    }
  }
});
/** Parsed config of the `file-out` producer. */
export type FileOutConfig = z.infer<typeof FileOutConfig>;
