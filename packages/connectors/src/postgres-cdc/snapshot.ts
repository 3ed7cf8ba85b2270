import { type Client, escapeIdentifier } from "pg";
import { classifyPgError } from "../postgres-shared/pg-errors.js";
import { type ChangeEvent, toJsonRow } from "./change-event.js";
import type { SourceTable } from "./preflight.js";

/** Options of {@link readSnapshot}. */
export interface ReadSnapshotOptions {
  /** An exported snapshot to read in (from slot creation); without one, the current data is read. */
  readonly snapshotName: string | undefined;
  /** Called once the snapshot is imported, so its exporter can be released early. */
  readonly onImported?: () => Promise<void>;
  /** The slot's start position, set as every event's `lsn`. */
  readonly lsn: string;
  /** Rows fetched per round trip. */
  readonly batchSize: number;
  /** Stops reading when aborted. */
  readonly signal: AbortSignal;
  /**
   * Receives each row, in primary-key order per table; `index` counts the table's rows from 0.
   * Reading waits for it (back-pressure).
   */
  readonly onRow: (event: ChangeEvent, index: number) => Promise<void>;
}

/**
 * Reads every row of the tables in one read-only repeatable-read transaction, through a cursor
 * so memory stays bounded, and hands each to `onRow` as a `snapshot` change event. Rows are
 * ordered by primary key, so reading again after a crash gives the same rows the same index.
 *
 * @param client - a connected client, not in a transaction
 * @param tables - the tables to read
 * @param options - snapshot to import, position, batch size, signal, row callback
 * @throws FatalError when the user may not read a table; RetryableError when the connection fails
 */
export async function readSnapshot(
  client: Client,
  tables: readonly SourceTable[],
  options: ReadSnapshotOptions,
): Promise<void> {
  let table: SourceTable | undefined;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (options.snapshotName !== undefined) {
      // The name comes from the server; quoting it as a literal still keeps it inert.
      await client.query(`SET TRANSACTION SNAPSHOT '${options.snapshotName.replaceAll("'", "''")}'`);
    }
    await options.onImported?.();
    for (table of tables) {
      const order =
        table.primaryKey.length > 0 ? ` ORDER BY ${table.primaryKey.map(escapeIdentifier).join(", ")}` : "";
      await client.query(`DECLARE vrsky_snapshot NO SCROLL CURSOR FOR SELECT * FROM ${table.sql}${order}`);
      let index = 0;
      for (;;) {
        if (options.signal.aborted) return;
        const { rows } = await client.query<Record<string, unknown>>(
          `FETCH ${options.batchSize} FROM vrsky_snapshot`,
        );
        for (const row of rows) {
          if (options.signal.aborted) return;
          const keys =
            table.primaryKey.length === 0
              ? null
              : toJsonRow(Object.fromEntries(table.primaryKey.map((c) => [c, row[c]])));
          await options.onRow(
            {
              table: table.name,
              schema: table.schema,
              operation: "snapshot",
              keys,
              before: null,
              after: toJsonRow(row),
              lsn: options.lsn,
              commitTime: null,
            },
            index++,
          );
        }
        if (rows.length < options.batchSize) break;
      }
      await client.query("CLOSE vrsky_snapshot");
    }
  } catch (error) {
    throw classifyPgError(
      error,
      `reading the initial snapshot${table ? ` of ${table.schema}.${table.name}` : ""}`,
    );
  } finally {
    // Read-only: nothing to keep, and a broken connection is closed by the caller anyway.
    await client.query("ROLLBACK").catch(() => {});
  }
}
