import { z } from "@vrsky/sdk";
import { rejectOtherDirectionOptions } from "../direction-options.js";

/** The two conversions of the `csv` converter. */
export const CsvDirection = z.enum(["csv-to-json", "json-to-csv"]);
/** One of {@link CsvDirection}. */
export type CsvDirection = z.infer<typeof CsvDirection>;

const CsvConfigFields = z.strictObject({
  direction: CsvDirection.describe(
    "`csv-to-json` parses a CSV body into JSON objects; `json-to-csv` writes a JSON array of objects as CSV.",
  ).meta({ examples: ["csv-to-json", "json-to-csv"] }),
  delimiter: z
    .string()
    .min(1)
    .max(4)
    .default(",")
    .describe("Field delimiter, e.g. `,`, `;` or a tab.")
    .meta({ examples: [",", ";", "\t"] }),
  quote: z
    .string()
    .length(1)
    .default('"')
    .describe("Character that quotes fields containing delimiters, quotes or line breaks.")
    .meta({ examples: ['"', "'"] }),
  columns: z
    .union([z.literal(true), z.array(z.string().min(1)).min(1)])
    .optional()
    .describe(
      "csv-to-json: `true` (default) when the first line is the header; a list of names when the file has no " +
        "header. json-to-csv: the fields to write, in order (default: every field, in order of appearance).",
    )
    .meta({ examples: [true, ["sku", "name", "price"]] }),
  skipEmptyLines: z
    .boolean()
    .optional()
    .describe("csv-to-json: ignore blank lines instead of reporting them as records with too few fields.")
    .meta({ default: true, examples: [true] }),
  cast: z
    .boolean()
    .optional()
    .describe(
      "csv-to-json: turn unquoted numbers (`42`, `-1.5`, `2e3`; not `007`) into JSON numbers and " +
        "`true`/`false` into booleans. Quoted fields stay strings.",
    )
    .meta({ default: false, examples: [true] }),
  output: z
    .enum(["array", "rows"])
    .optional()
    .describe(
      "csv-to-json: `array` emits one message holding the JSON array of all rows; `rows` one message per row, " +
        "keyed `<id>:<index>`.",
    )
    .meta({ default: "array", examples: ["array", "rows"] }),
  header: z
    .boolean()
    .optional()
    .describe("json-to-csv: write the column names as the first line.")
    .meta({ default: true, examples: [true] }),
});

// Options that only one direction reads; giving one with the other direction is a mistake to report,
// so they carry no zod default (the handler applies the documented default).
const ONLY: Readonly<Record<CsvDirection, readonly (keyof z.infer<typeof CsvConfigFields>)[]>> = {
  "csv-to-json": ["skipEmptyLines", "cast", "output"],
  "json-to-csv": ["header"],
};

/**
 * Config of the `csv` converter. One flat object (so specs and forms see a plain map); options
 * of the other direction are rejected.
 * @example
 * ```ts
 * CsvConfig.parse({ direction: "csv-to-json", delimiter: ";", cast: true, output: "rows" });
 * ```
 */
export const CsvConfig = CsvConfigFields.superRefine((config, ctx) => {
  rejectOtherDirectionOptions(config, ONLY, ctx);
  if (config.direction === "json-to-csv" && config.columns === true) {
    ctx.addIssue({
      code: "custom",
      path: ["columns"],
      message: "json-to-csv takes a list of field names, or no `columns` to write every field",
    });
  }
});
/** Parsed config of the `csv` converter. */
export type CsvConfig = z.infer<typeof CsvConfig>;
