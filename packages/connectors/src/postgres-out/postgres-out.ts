import {
  type BatchOutcome,
  type DeliveryContext,
  defineProducer,
  FatalError,
  type Message,
  type VrskyError,
} from "@vrsky/sdk";
import { Pool } from "pg";
import {
  classifyPgError,
  errorCode,
  isDataError,
  isTransientPgError,
  showCode,
} from "../postgres-shared/pg-errors.js";
import { parseTableName } from "../postgres-shared/table-name.js";
import { PostgresOutConfig } from "./config.js";
import { type InsertStatement, planInserts, singleInsert } from "./insert-statement.js";
import { TableCatalog, type TableInfo } from "./table-catalog.js";
import { type TableRow, toTableRow, UnknownColumnError } from "./table-row.js";

/** What `postgres-out` opens in `init`: a pool and the target table's columns. */
export interface PostgresOutResources {
  /** The step's connection pool; ended in `close`. */
  readonly pool: Pool;
  /** The target table's columns, read on first use. */
  readonly catalog: TableCatalog;
}

type Context = DeliveryContext<PostgresOutConfig, PostgresOutResources>;

/**
 * `postgres-out`: writes each JSON message as a row of a Postgres table, inserting or upserting,
 * in one multi-row statement and one transaction per batch.
 *
 * A failed batch whose error comes from the data (a type mismatch, a constraint) is retried row by
 * row, so only the bad rows fail, each with a `FatalError` naming the column; a transient error
 * (connection refused, deadlock, serialization failure) fails the batch with a `RetryableError`.
 *
 * @example
 * ```yaml
 * sinks:
 *   db:
 *     connector: postgres-out
 *     config: { connectionString: { $env: DATABASE_URL }, table: sales.orders, mode: upsert, key: [order_id] }
 * ```
 */
export const postgresOut = defineProducer<PostgresOutConfig, PostgresOutResources>({
  name: "postgres-out",
  version: "1.0.0",
  description: "Inserts or upserts each JSON message as a row of a Postgres table, in batched transactions.",
  categories: ["database", "postgres"],
  icon: "postgres",
  config: PostgresOutConfig,
  examples: [
    {
      title: "Insert each event, idempotently by message id",
      config: {
        connectionString: "postgres://vrsky:<password>@db.internal:5432/app",
        table: "events",
        idColumn: "message_id",
      },
    },
    {
      title: "Upsert orders by order_id, mapping nested fields",
      config: {
        connectionString: "postgres://vrsky:<password>@db.internal:5432/sales",
        table: "sales.orders",
        mode: "upsert",
        key: ["order_id"],
        columns: {
          order_id: "id",
          customer: "customer.name",
          total: { path: "amount", type: "numeric" },
          raw: "$",
        },
      },
    },
  ],
  batch: { maxSize: 500, maxWaitMs: 50 },
  init(ctx) {
    const table = parseTableName(ctx.config.table);
    // The schema has already checked the name, so this only guards against a schema change.
    if (!table) throw new FatalError(`table "${ctx.config.table}" is not a valid table name`);
    const pool = new Pool({
      connectionString: ctx.config.connectionString,
      max: ctx.config.poolSize,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection that breaks (server restart) must not crash the worker; the next query reconnects.
    pool.on("error", (error) =>
      ctx.logger.warn({ code: errorCode(error) }, `idle Postgres connection failed: ${error.message}`),
    );
    return { pool, catalog: new TableCatalog(pool, table) };
  },
  async close(ctx) {
    await ctx.resources?.pool.end();
  },
  async deliver(message, ctx) {
    const [outcome] = await deliverRows([message], ctx);
    if (outcome && !outcome.ok) throw outcome.error;
  },
  async deliverBatch(messages, ctx) {
    const outcomes = await deliverRows(messages, ctx);
    return outcomes.every((o) => o.ok) ? undefined : outcomes;
  },
});

async function deliverRows(messages: readonly Message[], ctx: Context): Promise<BatchOutcome[]> {
  const { catalog } = ctx.resources;
  let table = await catalog.get();
  const outcomes: BatchOutcome[] = messages.map(() => ({ ok: true }));
  const rows: TableRow[] = [];
  for (const [index, message] of messages.entries()) {
    try {
      rows.push(await toRow(index, message, ctx, table));
    } catch (error) {
      if (!(error instanceof UnknownColumnError)) {
        outcomes[index] = { ok: false, error };
        continue;
      }
      // The table may have gained the column since its columns were read.
      table = await catalog.refresh();
      try {
        rows.push(await toRow(index, message, ctx, table));
      } catch (again) {
        outcomes[index] = { ok: false, error: again };
      }
    }
  }
  if (rows.length === 0) return outcomes;
  try {
    await runInTransaction(ctx.resources.pool, planInserts(rows, table, ctx.config));
    return outcomes;
  } catch (error) {
    const [only] = rows;
    if (rows.length === 1 && only) {
      outcomes[only.index] = { ok: false, error: await rowError(error, only, table, ctx) };
      return outcomes;
    }
    if (!isDataError(error)) {
      // Not caused by one row (a lost connection, a missing table): every row shares the outcome.
      const typed = classifyPgError(error, `insert into ${table.shown}`);
      for (const row of rows) outcomes[row.index] = { ok: false, error: typed };
      return outcomes;
    }
  }
  // One or more rows hold bad data: write them one by one so only those fail.
  for (const row of rows) {
    try {
      const statement = singleInsert(row, table, ctx.config);
      await ctx.resources.pool.query(statement.text, statement.values);
    } catch (error) {
      outcomes[row.index] = { ok: false, error: await rowError(error, row, table, ctx) };
    }
  }
  return outcomes;
}

function toRow(index: number, message: Message, ctx: Context, table: TableInfo): Promise<TableRow> {
  return toTableRow(index, message, ctx.config, table, ctx.signal);
}

async function runInTransaction(pool: Pool, statements: readonly InsertStatement[]): Promise<void> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    for (const statement of statements) await client.query(statement.text, statement.values);
    await client.query("COMMIT");
  } catch (error) {
    broken = isTransientPgError(error);
    // A failed ROLLBACK means the connection is gone; the original error is the one to report.
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * The typed error of one row: for a data exception, the column whose value Postgres rejected,
 * found by casting each value to its column's type.
 */
async function rowError(error: unknown, row: TableRow, table: TableInfo, ctx: Context): Promise<VrskyError> {
  const where = `message ${row.message.id}: insert into ${table.shown}`;
  const code = errorCode(error);
  if (!isDataError(error) || code === undefined || !code.startsWith("22"))
    return classifyPgError(error, where);
  for (const [name, cell] of row.cells) {
    const column = table.columns.get(name);
    if (!column || cell.value === null) continue;
    try {
      await ctx.resources.pool.query(`SELECT $1::${cell.cast ?? column.type}`, [cell.value]);
    } catch (probe) {
      const probeCode = errorCode(probe);
      if (isTransientPgError(probe)) return classifyPgError(probe, where);
      if (probeCode === undefined || !probeCode.startsWith("22")) continue;
      const given =
        typeof cell.value === "string" && cell.from !== "message id" ? "a string" : describeJs(cell.value);
      return new FatalError(
        `${where} failed: column "${name}" (${cell.cast ?? column.type}) rejected ${given} from ${
          cell.from === "message id" ? "the message id" : `body path "${cell.from}"`
        } (${showCode(probeCode)}): send a value of the column's type, or change the column's type`,
        { cause: error },
      );
    }
  }
  return classifyPgError(error, where);
}

function describeJs(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" && value !== null ? "an object" : `a ${typeof value}`;
}
