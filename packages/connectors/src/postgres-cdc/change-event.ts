import type { MessageInit } from "@vrsky/sdk";
import type { Pgoutput } from "pg-logical-replication";

/** What happened to a row. */
export const ChangeOperation = {
  /** A row was inserted. */
  Insert: "insert",
  /** A row was updated. */
  Update: "update",
  /** A row was deleted. */
  Delete: "delete",
  /** A row existed when the source first started (initial snapshot). */
  Snapshot: "snapshot",
  /** The table was truncated: every row is gone. */
  Truncate: "truncate",
} as const;
/** One of {@link ChangeOperation}. */
export type ChangeOperation = (typeof ChangeOperation)[keyof typeof ChangeOperation];

/** A row's column values as JSON: timestamps as ISO strings, `bytea` as `\x…` hex, int8 and numeric as strings. */
export type RowImage = Record<string, unknown>;

/** The body of every `postgres-cdc` message. */
export interface ChangeEvent {
  /** Table name. */
  table: string;
  /** Schema of the table. */
  schema: string;
  /** What happened. */
  operation: ChangeOperation;
  /** The row's replica-identity (usually primary-key) columns, or `null` when the table has none. */
  keys: RowImage | null;
  /** The row before an update or delete; needs `REPLICA IDENTITY FULL`, else `null`. */
  before: RowImage | null;
  /** The row after an insert or update, and each snapshot row; `null` for deletes. */
  after: RowImage | null;
  /** Commit position of the transaction (for snapshot rows: the slot's start position). */
  lsn: string;
  /** When the transaction committed (ISO-8601); `null` for snapshot rows. */
  commitTime: string | null;
}

/** A transaction being read: its commit position and time, and how many changes it has had. */
export interface TransactionInfo {
  /** Commit position, normalised. */
  readonly lsn: string;
  /** Commit time, ISO-8601. */
  readonly commitTime: string;
}

/** A pgoutput row change. */
export type RowChange = Pgoutput.MessageInsert | Pgoutput.MessageUpdate | Pgoutput.MessageDelete;

/**
 * The change event of one pgoutput insert, update or delete.
 * @param change - the decoded change
 * @param txn - the transaction it belongs to
 */
export function changeEvent(change: RowChange, txn: TransactionInfo): ChangeEvent {
  const { relation } = change;
  const base = { table: relation.name, schema: relation.schema, lsn: txn.lsn, commitTime: txn.commitTime };
  const keys = (row: Record<string, unknown> | null): RowImage | null =>
    row === null || relation.keyColumns.length === 0
      ? null
      : toJsonRow(Object.fromEntries(relation.keyColumns.map((name) => [name, row[name]])));
  switch (change.tag) {
    case "insert":
      return {
        ...base,
        operation: "insert",
        keys: keys(change.new),
        before: null,
        after: toJsonRow(change.new),
      };
    case "update":
      return {
        ...base,
        operation: "update",
        keys: keys(change.key ?? change.old ?? change.new),
        before: change.old === null ? null : toJsonRow(change.old),
        after: toJsonRow(change.new),
      };
    case "delete":
      return {
        ...base,
        operation: "delete",
        keys: keys(change.key ?? change.old),
        before: change.old === null ? null : toJsonRow(change.old),
        after: null,
      };
  }
}

/**
 * The message for a change event, keyed `<lsn>:<schema.table>:<index>` so a replay after a
 * restart produces the same keys and the runtime drops the repeats.
 * @param event - the change
 * @param index - position of the change in its transaction (or of the row in the snapshot)
 */
export function changeMessage(event: ChangeEvent, index: number): MessageInit {
  const table = `${event.schema}.${event.table}`;
  return {
    json: event,
    key: `${event.lsn}:${table}:${index}`,
    headers: { "x-table": table, "x-operation": event.operation, "x-lsn": event.lsn },
  };
}

/**
 * A row as JSON-safe values: `Date` → ISO string, bytes → `\x` hex (Postgres's text form),
 * `bigint` → string, nested arrays and objects converted too.
 * @param row - column values as pg parsed them
 */
export function toJsonRow(row: Record<string, unknown>): RowImage {
  const out: RowImage = {};
  // An unchanged TOASTed value arrives as `undefined`: the column is left out rather than shown as null.
  for (const [name, value] of Object.entries(row)) if (value !== undefined) out[name] = toJsonValue(value);
  return out;
}

function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array)
    return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  }
  return value;
}
