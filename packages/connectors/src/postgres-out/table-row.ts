import { FatalError, type Message } from "@vrsky/sdk";
import type { ColumnCast, PostgresOutConfig } from "./config.js";
import type { TableColumn, TableInfo } from "./table-catalog.js";

/** One column value of a row, ready to send as a query parameter. */
export interface CellValue {
  /** The parameter: a string, number, boolean, null or (for array columns) an array. */
  readonly value: unknown;
  /** The explicit cast from the config, if any. */
  readonly cast: ColumnCast | undefined;
  /** Where the value came from, for messages: a body path, `$`, or `message id`. */
  readonly from: string;
}

/** One message turned into a row: its columns and values. */
export interface TableRow {
  /** Index of the message in its batch. */
  readonly index: number;
  /** The message it came from. */
  readonly message: Message;
  /** Column → value; columns without a value are left out (their default applies). */
  readonly cells: ReadonlyMap<string, CellValue>;
}

/** A body names a column the table lacks; the caller reads the table's columns again before giving up. */
export class UnknownColumnError extends FatalError {}

const INDEX = /^(0|[1-9]\d*)$/;

/**
 * The value at a dotted path of a parsed JSON body; `$` is the whole body.
 * @param body - the parsed body
 * @param path - e.g. `customer.id`, `items.0.sku`
 * @returns the value, or `undefined` when a step of the path is missing
 */
export function readBodyPath(body: unknown, path: string): unknown {
  if (path === "$") return body;
  let node = body;
  for (const segment of path.split(".")) {
    if (Array.isArray(node)) node = INDEX.test(segment) ? node[Number(segment)] : undefined;
    else if (typeof node === "object" && node !== null && Object.hasOwn(node, segment)) {
      node = (node as Record<string, unknown>)[segment];
    } else return undefined;
  }
  return node;
}

/**
 * Shapes a JSON value for a column: JSON text for `json`/`jsonb` columns (and casts), arrays as
 * Postgres arrays for array columns, other objects and arrays as JSON text, scalars as they are.
 * @param value - a JSON value (not `undefined`)
 * @param column - the target column
 * @param cast - the explicit cast from the config
 */
export function toParameter(value: unknown, column: TableColumn, cast: ColumnCast | undefined): unknown {
  if (value === null) return null;
  if (cast === "json" || cast === "jsonb" || (cast === undefined && column.json))
    return JSON.stringify(value);
  if (Array.isArray(value) && column.array && cast === undefined) return value;
  if (typeof value === "object") return JSON.stringify(value);
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * Turns a message into a row of the target table.
 *
 * @param index - the message's index in its batch
 * @param message - the message; its body must be JSON
 * @param config - the step's config
 * @param table - the table's columns
 * @param signal - aborts reading a referenced body
 * @throws FatalError if the body is not JSON, is not an object (without `columns`), names a
 *   column the table lacks ({@link UnknownColumnError}), or lacks an upsert key
 */
export async function toTableRow(
  index: number,
  message: Message,
  config: PostgresOutConfig,
  table: TableInfo,
  signal: AbortSignal,
): Promise<TableRow> {
  const body = await message.json({ signal });
  const cells = new Map<string, CellValue>();
  const column = (name: string, from: string): TableColumn => {
    const found = table.columns.get(name);
    if (found) return found;
    throw new UnknownColumnError(
      config.columns === undefined
        ? `message ${message.id}: body field "${from}" has no column in table ${table.shown}: add the column, ` +
            "or map body fields to columns with `columns`"
        : `message ${message.id}: column "${name}" (from \`columns\`) does not exist in table ${table.shown}: ` +
            "add it to the table, or fix `columns`",
    );
  };
  if (config.columns === undefined) {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new FatalError(
        `message ${message.id}: the body is ${describeValue(body)}, but postgres-out writes one JSON object per ` +
          "row (its fields are the columns): send an object, or map paths to columns with `columns`",
      );
    }
    for (const [field, value] of Object.entries(body)) {
      if (value === undefined) continue;
      cells.set(field, {
        value: toParameter(value, column(field, field), undefined),
        cast: undefined,
        from: field,
      });
    }
  } else {
    for (const [name, source] of Object.entries(config.columns)) {
      const { path, type } = typeof source === "string" ? { path: source, type: undefined } : source;
      const target = column(name, path);
      const value = readBodyPath(body, path);
      if (value !== undefined)
        cells.set(name, { value: toParameter(value, target, type), cast: type, from: path });
    }
  }
  if (config.idColumn !== undefined) {
    column(config.idColumn, "message id");
    cells.set(config.idColumn, { value: message.id, cast: undefined, from: "message id" });
  }
  for (const key of config.mode === "upsert" ? (config.key ?? []) : []) {
    const cell = cells.get(key);
    if (cell === undefined || cell.value === null) {
      const source = config.columns?.[key];
      const path = source === undefined ? key : typeof source === "string" ? source : source.path;
      throw new FatalError(
        `message ${message.id}: key column "${key}" of table ${table.shown} has no value (body path "${path}" is ` +
          "missing or null): an upsert needs every key column",
      );
    }
  }
  return { index, message, cells };
}
