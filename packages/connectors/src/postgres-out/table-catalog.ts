import { FatalError } from "@vrsky/sdk";
import type { Pool } from "pg";
import { classifyPgError } from "../postgres-shared/pg-errors.js";
import { quoteTable, showTable, type TableName } from "../postgres-shared/table-name.js";

/** One insertable column of the target table. */
export interface TableColumn {
  /** Column name. */
  readonly name: string;
  /** The column's type as Postgres writes it (`integer`, `character varying(20)`, `jsonb`). */
  readonly type: string;
  /** Whether the column is `json` or `jsonb`: values are sent as JSON text. */
  readonly json: boolean;
  /** Whether the column is an array type: JSON arrays are sent as Postgres arrays. */
  readonly array: boolean;
}

/** The target table and its insertable columns, in table order. */
export interface TableInfo {
  /** The table as SQL, quoted. */
  readonly sql: string;
  /** The table as shown in messages (`sales.orders`). */
  readonly shown: string;
  /** Insertable columns by name (generated and dropped columns left out), in table order. */
  readonly columns: ReadonlyMap<string, TableColumn>;
}

interface ColumnRow {
  name: string;
  type: string;
  typname: string;
  typcategory: string;
}

// A missing column may have been added since the last look: look again, but not per message.
const REFRESH_AFTER_MS = 5000;

/**
 * Reads the target table's columns once and keeps them, so bodies are checked against the real
 * columns before anything is sent, and values are shaped for each column's type.
 */
export class TableCatalog {
  readonly #pool: Pool;
  readonly #table: TableName;
  #info: Promise<TableInfo> | undefined;
  #loadedAt = 0;

  /**
   * @param pool - the step's pool
   * @param table - the target table
   */
  constructor(pool: Pool, table: TableName) {
    this.#pool = pool;
    this.#table = table;
  }

  /**
   * The table's columns, read on first use.
   * @throws FatalError if the table does not exist; RetryableError if Postgres cannot be reached
   */
  get(): Promise<TableInfo> {
    if (this.#info === undefined) {
      this.#loadedAt = Date.now();
      const loading = this.#load();
      // A failed read is not kept: the next delivery tries again.
      loading.catch(() => {
        if (this.#info === loading) this.#info = undefined;
      });
      this.#info = loading;
    }
    return this.#info;
  }

  /**
   * The columns, read again if the last read is older than a few seconds: called when a body
   * names a column the table did not have.
   */
  refresh(): Promise<TableInfo> {
    if (Date.now() - this.#loadedAt >= REFRESH_AFTER_MS) this.#info = undefined;
    return this.get();
  }

  async #load(): Promise<TableInfo> {
    const sql = quoteTable(this.#table);
    const shown = showTable(this.#table);
    let rows: ColumnRow[];
    try {
      const found = await this.#pool.query<{ oid: string | null }>("SELECT to_regclass($1)::oid AS oid", [
        sql,
      ]);
      const oid = found.rows[0]?.oid ?? null;
      if (oid === null) {
        throw new FatalError(
          `table ${shown} does not exist, or the user in connectionString cannot see it: create the table, or fix ` +
            "`table` in the config (schema-qualify it, e.g. `sales.orders`, if its schema is not on the search_path)",
        );
      }
      const columns = await this.#pool.query<ColumnRow>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typname, t.typcategory
           FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
          WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
          ORDER BY a.attnum`,
        [oid],
      );
      rows = columns.rows;
    } catch (error) {
      throw classifyPgError(error, `reading the columns of table ${shown}`);
    }
    const columns = new Map<string, TableColumn>();
    for (const row of rows) {
      columns.set(row.name, {
        name: row.name,
        type: row.type,
        json: row.typname === "json" || row.typname === "jsonb",
        array: row.typcategory === "A",
      });
    }
    return { sql, shown, columns };
  }
}
