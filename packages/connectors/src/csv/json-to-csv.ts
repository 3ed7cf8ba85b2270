import { FatalError } from "@vrsky/sdk";
import { stringify } from "csv-stringify/sync";
import type { CsvConfig } from "./config.js";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Writes a JSON array of flat objects as CSV text.
 *
 * @param value - the parsed JSON body
 * @param config - the step's parsed config
 * @param messageId - for error messages
 * @returns CSV text, one line per row, `\n`-terminated
 * @throws FatalError when the body is not an array of objects, or a field holds an object or array
 */
export function writeCsv(value: unknown, config: CsvConfig, messageId: string): string {
  const where = `message ${messageId}`;
  if (!Array.isArray(value)) {
    throw new FatalError(
      `${where}: json-to-csv expects a JSON array of objects, got ${value === null ? "null" : typeof value}`,
    );
  }
  const fixed = Array.isArray(config.columns) ? config.columns : undefined;
  const columns = fixed ? [...fixed] : [];
  const known = new Set(columns);
  value.forEach((row: unknown, index) => {
    if (!isPlainObject(row)) {
      throw new FatalError(
        `${where}: row ${index} is ${Array.isArray(row) ? "an array" : typeof row}, expected an object`,
      );
    }
    for (const [field, cell] of Object.entries(row)) {
      if (typeof cell === "object" && cell !== null) {
        throw new FatalError(
          `${where}: row ${index}, field \`${field}\` is ${Array.isArray(cell) ? "an array" : "an object"}; ` +
            "CSV cells hold text, numbers and booleans: flatten it first (field-map or json-transform)",
        );
      }
      if (!fixed && !known.has(field)) {
        known.add(field);
        columns.push(field);
      }
    }
  });
  if (columns.length === 0) return "";
  return stringify(value, {
    columns,
    header: config.header ?? true,
    delimiter: config.delimiter,
    quote: config.quote,
    // csv-stringify writes booleans as "1" and "": keep them readable and round-trippable.
    cast: { boolean: (cell: boolean) => String(cell) },
  });
}
