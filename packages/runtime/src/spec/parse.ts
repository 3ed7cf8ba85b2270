import { ConfigError, type ConfigIssue } from "@vrsky/sdk";
import { LineCounter, parseDocument } from "yaml";
import { IntegrationSpec } from "./schema.js";
import { type SpecPositions, sortIssues, toSpecIssues } from "./spec-issues.js";
import { yamlPositions } from "./yaml-positions.js";

/** Options of {@link parseIntegrationSpec}. */
export interface ParseIntegrationSpecOptions {
  /** The file the text came from; shown in errors. */
  file: string;
  /** The text's format. @default "json" for a `.json` file, else "yaml" */
  format?: "yaml" | "json";
}

/** A parsed spec with the positions of its fields in the source text. */
export interface ParsedIntegrationSpec {
  /** The validated spec, defaults applied. */
  spec: IntegrationSpec;
  /** Where each field was written; pass to `resolveIntegration` so later issues get lines. */
  positions: SpecPositions;
}

/**
 * Parses and validates an integration spec written in YAML or JSON.
 *
 * @param text - the file's content
 * @param options - the file name (for errors) and the format
 * @returns the spec, with defaults applied, durations in ms and sizes in bytes
 * @throws ConfigError listing every problem — syntax errors first, then each invalid field —
 *   with its path (`sinks.db.config.url`), line, column and how to fix it
 * @example
 * ```ts
 * const spec = parseIntegrationSpec(await readFile("orders.yaml", "utf8"), { file: "orders.yaml" });
 * ```
 */
export function parseIntegrationSpec(text: string, options: ParseIntegrationSpecOptions): IntegrationSpec {
  return parseIntegrationSpecDocument(text, options).spec;
}

/**
 * Like {@link parseIntegrationSpec}, but also returns the positions of the spec's fields, so
 * issues found while resolving connectors and their configs point at lines too.
 *
 * @param text - the file's content
 * @param options - the file name (for errors) and the format
 * @throws ConfigError as {@link parseIntegrationSpec}
 */
export function parseIntegrationSpecDocument(
  text: string,
  options: ParseIntegrationSpecOptions,
): ParsedIntegrationSpec {
  const format = options.format ?? (options.file.toLowerCase().endsWith(".json") ? "json" : "yaml");
  const label = format === "json" ? "JSON" : "YAML";
  const lineCounter = new LineCounter();
  // JSON is YAML 1.2, so one parser gives positions for both; prettyErrors is off because its
  // code frame would copy source lines (and any inline secret on them) into the message.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const fail = (issues: ConfigIssue[]): ConfigError => new ConfigError(issues, { where: options.file });
  if (doc.errors.length > 0) {
    throw fail(
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { path: "", line, column: col, message: `${label} syntax error: ${error.message}` };
      }),
    );
  }
  let value: unknown;
  try {
    value = format === "json" ? JSON.parse(text) : doc.toJS();
  } catch (error) {
    throw fail([syntaxIssue(error, text, label)]);
  }
  const positions = yamlPositions(doc, lineCounter);
  if (value === null || value === undefined) {
    throw fail([
      { path: "", message: "the file is empty: write an integration spec (see docs/integration-spec.md)" },
    ]);
  }
  const result = IntegrationSpec.safeParse(value);
  if (!result.success) throw fail(sortIssues(toSpecIssues(result.error, { positions })));
  return { spec: result.data, positions };
}

function syntaxIssue(error: unknown, text: string, label: string): ConfigIssue {
  const raw = error instanceof Error ? error.message : String(error);
  // V8 may quote the source (`Unexpected token '}', "{"a":}" is not valid JSON`): drop the quote.
  const message = `${label} syntax error: ${raw.replace(/, ".*" is not valid JSON$/s, "")}`;
  const offset = /at position (\d+)/.exec(raw)?.[1];
  if (offset === undefined) return { path: "", message };
  const before = text.slice(0, Number(offset)).split("\n");
  return { path: "", message, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
