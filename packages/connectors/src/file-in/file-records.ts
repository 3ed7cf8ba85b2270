import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";

/** Options of {@link readRecords}. */
export interface ReadRecordsOptions {
  /** `ndjson` or `csv`. */
  readonly format: "ndjson" | "csv";
  /** csv: field delimiter. @default "," */
  readonly delimiter?: string | undefined;
  /** Told about each line or record skipped because it does not parse (never its content). */
  readonly onSkip: (line: number, reason: string) => void;
}

/**
 * Streams a file's records: each non-blank NDJSON line parsed as JSON, or each CSV row as an
 * object named by the header row. Lines or records that do not parse are skipped (and
 * reported), so the same file always yields the same records in the same order. Memory stays
 * bounded: one record at a time. The caller stops early by leaving its loop (between records),
 * which closes the file.
 *
 * @param path - the file
 * @param options - format, delimiter, skip callback
 */
export async function* readRecords(path: string, options: ReadRecordsOptions): AsyncGenerator<unknown> {
  const input = createReadStream(path);
  try {
    if (options.format === "ndjson") yield* ndjson(input, options);
    else yield* csv(input, options);
  } finally {
    input.destroy();
  }
}

async function* ndjson(input: NodeJS.ReadableStream, options: ReadRecordsOptions): AsyncGenerator<unknown> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        options.onSkip(line, `not valid JSON (${(error as Error).message})`);
        continue;
      }
      yield value;
    }
  } finally {
    lines.close();
  }
}

async function* csv(input: NodeJS.ReadableStream, options: ReadRecordsOptions): AsyncGenerator<unknown> {
  const parser = parse({
    columns: true,
    bom: true,
    skip_empty_lines: true,
    delimiter: options.delimiter ?? ",",
    skip_records_with_error: true,
  });
  parser.on("skip", (error: Error & { lines?: number }) => options.onSkip(error.lines ?? 0, error.message));
  input.pipe(parser);
  // A read error ends the parser with it, so the loop below throws it.
  input.on("error", (error) => parser.destroy(error));
  try {
    for await (const record of parser) yield record;
  } finally {
    parser.destroy();
  }
}
