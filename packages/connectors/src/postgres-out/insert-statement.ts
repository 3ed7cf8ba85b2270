import { escapeIdentifier } from "pg";
import type { PostgresOutConfig } from "./config.js";
import type { TableInfo } from "./table-catalog.js";
import type { TableRow } from "./table-row.js";

/** One multi-row INSERT and the rows it writes. */
export interface InsertStatement {
  /** SQL text with `$n` parameters. */
  readonly text: string;
  /** Parameter values, row after row. */
  readonly values: unknown[];
  /** The rows written, in order. */
  readonly rows: readonly TableRow[];
}

// Postgres takes at most 65535 parameters in one statement.
const MAX_PARAMETERS = 65_535;

/**
 * Plans the statements that write a batch of rows: rows with the same set of columns share one
 * multi-row `INSERT … VALUES (…), (…)`. A statement is split where it would exceed the parameter
 * limit, and, for upserts, where a key repeats (Postgres refuses to update one row twice in one
 * statement), so applying the statements in order has the effect of applying the rows in order.
 *
 * @param rows - the batch's rows, in message order
 * @param table - the target table
 * @param config - the step's config (mode, key, idColumn)
 * @returns the statements, to run in order in one transaction
 */
export function planInserts(
  rows: readonly TableRow[],
  table: TableInfo,
  config: PostgresOutConfig,
): InsertStatement[] {
  const order = [...table.columns.keys()];
  const groups = new Map<string, { columns: string[]; chunks: TableRow[][]; keys: Set<string> }>();
  const statements: InsertStatement[] = [];
  for (const row of rows) {
    const columns = order.filter((name) => row.cells.has(name));
    const signature = columns.join("\0");
    let group = groups.get(signature);
    if (!group) {
      group = { columns, chunks: [[]], keys: new Set() };
      groups.set(signature, group);
    }
    // `DEFAULT VALUES` (a body with no fields) writes one row per statement.
    const maxRows = columns.length === 0 ? 1 : Math.floor(MAX_PARAMETERS / columns.length);
    const key =
      config.mode === "upsert" ? JSON.stringify((config.key ?? []).map((k) => row.cells.get(k)?.value)) : "";
    let chunk = group.chunks[group.chunks.length - 1] ?? [];
    if (chunk.length >= maxRows || (key !== "" && group.keys.has(key))) {
      chunk = [];
      group.chunks.push(chunk);
      group.keys.clear();
    }
    chunk.push(row);
    if (key !== "") group.keys.add(key);
  }
  for (const { columns, chunks } of groups.values()) {
    for (const chunk of chunks)
      if (chunk.length > 0) statements.push(insertStatement(chunk, columns, table, config));
  }
  return statements;
}

/**
 * The single-row statement for one row, used to find which rows of a failed batch are bad.
 * @param row - the row
 * @param table - the target table
 * @param config - the step's config
 */
export function singleInsert(row: TableRow, table: TableInfo, config: PostgresOutConfig): InsertStatement {
  const columns = [...table.columns.keys()].filter((name) => row.cells.has(name));
  return insertStatement([row], columns, table, config);
}

function insertStatement(
  rows: readonly TableRow[],
  columns: readonly string[],
  table: TableInfo,
  config: PostgresOutConfig,
): InsertStatement {
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = columns.map((name) => {
      const cell = row.cells.get(name);
      values.push(cell?.value ?? null);
      // The cast comes from a closed enum in the schema, so it is safe to write into the SQL.
      return cell?.cast === undefined ? `$${values.length}` : `$${values.length}::${cell.cast}`;
    });
    return `(${placeholders.join(", ")})`;
  });
  const head =
    columns.length === 0
      ? `INSERT INTO ${table.sql} DEFAULT VALUES`
      : `INSERT INTO ${table.sql} (${columns.map(escapeIdentifier).join(", ")}) VALUES ${tuples.join(", ")}`;
  return { text: `${head}${onConflict(columns, config)}`, values, rows };
}

function onConflict(columns: readonly string[], config: PostgresOutConfig): string {
  if (config.mode === "upsert") {
    const key = config.key ?? [];
    const updates = columns.filter((name) => !key.includes(name));
    const target = key.map(escapeIdentifier).join(", ");
    if (updates.length === 0) return ` ON CONFLICT (${target}) DO NOTHING`;
    const set = updates.map((name) => `${escapeIdentifier(name)} = EXCLUDED.${escapeIdentifier(name)}`);
    return ` ON CONFLICT (${target}) DO UPDATE SET ${set.join(", ")}`;
  }
  if (config.idColumn !== undefined) return ` ON CONFLICT (${escapeIdentifier(config.idColumn)}) DO NOTHING`;
  return "";
}
