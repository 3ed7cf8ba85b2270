import { defineConverter, JSON_CONTENT_TYPE, type MessageInit } from "@vrsky/sdk";
import { CsvConfig } from "./config.js";
import { parseCsvRows } from "./csv-to-json.js";
import { writeCsv } from "./json-to-csv.js";

/** Content type of the CSV bodies `json-to-csv` writes. */
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

/**
 * `csv`: converts CSV bodies to JSON and JSON arrays to CSV.
 *
 * `csv-to-json` streams the body through csv-parse (bounded reading for claim-check bodies),
 * names fields from the header or `columns`, optionally casts numbers and booleans, and emits
 * either one JSON array or one message per row. A malformed record or header is dead-lettered
 * with its line number. `json-to-csv` writes a header and one line per object with csv-stringify.
 *
 * @throws FatalError for malformed CSV (naming the line) or JSON that is not an array of flat objects
 * @example
 * ```yaml
 * - name: price-list
 *   connector: csv
 *   config: { "direction": "csv-to-json", "delimiter": ";", "cast": true, "output": "rows" }
 * ```
 */
export const csv = defineConverter<CsvConfig>({
  name: "csv",
  version: "1.0.0",
  description: "Converts CSV bodies to JSON (one array or one message per row) and JSON arrays to CSV.",
  categories: ["csv", "format"],
  icon: "table",
  config: CsvConfig,
  examples: [
    {
      title: "Split a semicolon-separated price list into one message per product",
      config: { direction: "csv-to-json", delimiter: ";", cast: true, output: "rows" },
    },
    {
      title: "Export orders as CSV with a fixed column order",
      config: { direction: "json-to-csv", columns: ["orderId", "customer", "total"] },
    },
  ],
  async convert(message, ctx) {
    const config = ctx.config;
    if (config.direction === "json-to-csv") {
      const value = await message.json({ signal: ctx.signal });
      return { body: writeCsv(value, config, message.id), contentType: CSV_CONTENT_TYPE };
    }
    const rows = await parseCsvRows(message, config, ctx.signal);
    if ((config.output ?? "array") === "array") return { json: rows, contentType: JSON_CONTENT_TYPE };
    return rows.map((row, index): MessageInit => ({ json: row, key: `${message.id}:${index}` }));
  },
});
