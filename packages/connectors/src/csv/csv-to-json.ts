import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { FatalError, type Message } from "@vrsky/sdk";
import { type CastingContext, parse } from "csv-parse";
import type { CsvConfig } from "./config.js";

/** One parsed CSV row. */
export type CsvRow = Record<string, string | number | boolean>;

/** Longest excerpt of a parser message kept in a dead-letter reason. */
const MAX_REASON_LENGTH = 200;

// Leading zeros are not numbers here: they are codes (`007`, postcodes) and would lose digits.
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const RESERVED_COLUMNS = new Set(["__proto__", "constructor", "prototype"]);

function castField(value: string, context: CastingContext): string | number | boolean {
  if (context.header || context.quoting) return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return NUMBER.test(value) ? Number(value) : value;
}

/** Rejects header rows that would silently lose or overwrite fields. */
function checkHeader(header: unknown[], messageId: string): string[] {
  const seen = new Set<string>();
  return header.map((cell, index) => {
    const name = String(cell);
    const where = `message ${messageId}: CSV header (line 1), column ${index + 1}`;
    if (name.trim() === "") throw new FatalError(`${where} has no name: every column needs one`);
    if (RESERVED_COLUMNS.has(name))
      throw new FatalError(`${where}: "${name}" is not accepted as a column name`);
    if (seen.has(name)) {
      throw new FatalError(`${where}: "${name.slice(0, 40)}" appears twice; column names must be unique`);
    }
    seen.add(name);
    return name;
  });
}

/** Whether an error came from csv-parse (its codes are `CSV_*` or `INVALID_OPENING_QUOTE`). */
function csvErrorLine(error: unknown): { line: number | undefined; message: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, lines } = error as Error & { code?: unknown; lines?: unknown };
  if (typeof code !== "string" || !(code.startsWith("CSV_") || code === "INVALID_OPENING_QUOTE"))
    return undefined;
  return { line: typeof lines === "number" ? lines : undefined, message: error.message };
}

async function* asBuffers(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Buffer> {
  for await (const chunk of chunks) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Parses a CSV body as a stream: chunks flow from `message.stream()` through csv-parse, so a
 * large (claim-check) body is never held as one string besides its parsed rows.
 *
 * @param message - the CSV message
 * @param config - the step's parsed config (its csv-to-json options)
 * @param signal - aborts the read when the step stops
 * @returns the rows, in order
 * @throws FatalError naming the line of the first malformed record or header problem
 */
export async function parseCsvRows(
  message: Message,
  config: CsvConfig,
  signal: AbortSignal,
): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  const parser = parse({
    columns: Array.isArray(config.columns)
      ? config.columns
      : (header: unknown[]) => checkHeader(header, message.id),
    delimiter: config.delimiter,
    quote: config.quote,
    skip_empty_lines: config.skipEmptyLines ?? true,
    bom: true,
    cast: config.cast === true ? castField : false,
  });
  try {
    await pipeline(
      Readable.from(asBuffers(message.stream({ signal }))),
      parser,
      async (records: AsyncIterable<CsvRow>) => {
        for await (const record of records) rows.push(record);
      },
      { signal },
    );
  } catch (cause) {
    const csv = csvErrorLine(cause);
    if (!csv) throw cause;
    const at = csv.line === undefined ? "" : ` at line ${csv.line}`;
    const reason =
      csv.message.length <= MAX_REASON_LENGTH ? csv.message : `${csv.message.slice(0, MAX_REASON_LENGTH)}…`;
    throw new FatalError(`message ${message.id}: malformed CSV${at}: ${reason}`, { cause });
  }
  return rows;
}
