import { ConfigError, FatalError, type Logger } from "@vrsky/sdk";
import { type Client, escapeIdentifier } from "pg";
import { classifyPgError, errorCode } from "../postgres-shared/pg-errors.js";
import { parseTableName, quoteTable } from "../postgres-shared/table-name.js";
import type { PostgresCdcConfig } from "./config.js";
import { normalizeLsn } from "./lsn.js";

/** A table the source streams (and snapshots). */
export interface SourceTable {
  /** Schema. */
  readonly schema: string;
  /** Table name. */
  readonly name: string;
  /** `"schema"."name"`, quoted for SQL. */
  readonly sql: string;
  /** Primary-key columns, in key order (empty without a primary key). */
  readonly primaryKey: readonly string[];
}

/** A replication slot as `pg_replication_slots` shows it. */
export interface SlotInfo {
  /** Output plugin, `pgoutput` for slots this source can read. */
  readonly plugin: string;
  /** The database the slot decodes. */
  readonly database: string;
  /** Position up to which the slot's changes are confirmed, if any. */
  readonly confirmedLsn: string | undefined;
}

const WHERE = 'the config of consumer "postgres-cdc"';

/**
 * Checks that the server can stream logical changes to this user: `wal_level=logical` and the
 * REPLICATION attribute (or superuser).
 * @param client - a connected client
 * @param server - `host:port/db`, for messages
 * @throws FatalError saying what to change on the server when a requirement is not met
 */
export async function checkServer(client: Client, server: string): Promise<void> {
  const wal = await query<{ wal_level: string }>(
    client,
    "SHOW wal_level",
    [],
    `checking wal_level on ${server}`,
  );
  const level = wal[0]?.wal_level;
  if (level !== "logical") {
    throw new FatalError(
      `Postgres at ${server} runs with wal_level=${level ?? "unknown"}, but change data capture needs logical ` +
        "decoding: set wal_level=logical in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart the server",
    );
  }
  const role = await query<{ name: string; ok: boolean }>(
    client,
    "SELECT rolname AS name, rolreplication OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user",
    [],
    `checking the role on ${server}`,
  );
  const user = role[0];
  if (!user?.ok) {
    const name = user?.name ?? "the user in connectionString";
    throw new FatalError(
      `user "${name}" on ${server} may not stream changes: it needs the REPLICATION attribute — run ` +
        `ALTER ROLE ${escapeIdentifier(name)} WITH REPLICATION as a superuser (on managed Postgres, grant its replication role)`,
    );
  }
}

/**
 * The tables to stream: the configured ones, each checked to exist, or — with none configured —
 * the tables of the existing publication.
 * @param client - a connected client
 * @param config - the step's config
 * @param publication - the publication's name
 * @throws ConfigError naming each configured table that does not exist
 */
export async function resolveTables(
  client: Client,
  config: PostgresCdcConfig,
  publication: string,
): Promise<SourceTable[]> {
  const issues: { path: string; message: string }[] = [];
  const tables: SourceTable[] = [];
  if (config.tables.length === 0) {
    const published = await query<{ oid: string }>(
      client,
      "SELECT format('%I.%I', schemaname, tablename)::regclass::oid AS oid FROM pg_publication_tables WHERE pubname = $1",
      [publication],
      `reading the tables of publication ${publication}`,
    );
    for (const { oid } of published) tables.push(await describeTable(client, oid));
    return tables;
  }
  for (const [i, text] of config.tables.entries()) {
    const name = parseTableName(text);
    const found = name
      ? await query<{ oid: string | null }>(
          client,
          "SELECT to_regclass($1)::oid AS oid",
          [quoteTable(name)],
          "looking up tables",
        )
      : [];
    const oid = found[0]?.oid ?? null;
    if (oid === null) {
      issues.push({
        path: `tables.${i}`,
        message: `table ${text} does not exist, or the user cannot see it: create it, or fix the name (schema-qualify it if its schema is not on the search_path)`,
      });
    } else tables.push(await describeTable(client, oid));
  }
  if (issues.length > 0) throw new ConfigError(issues, { where: WHERE });
  return tables;
}

/**
 * Makes sure the publication exists and covers the tables: creates it `FOR TABLE …` when
 * missing; with an existing one, checks each configured table is in it.
 * @param client - a connected client
 * @param publication - the publication's name
 * @param tables - the tables to stream
 * @param config - the step's config
 * @param logger - the step's logger
 * @throws ConfigError when the publication is missing and no tables are given, or lacks a table
 * @throws FatalError when the user may not create the publication
 */
export async function ensurePublication(
  client: Client,
  publication: string,
  tables: readonly SourceTable[],
  config: PostgresCdcConfig,
  logger: Logger,
): Promise<void> {
  const existing = await query(
    client,
    "SELECT 1 FROM pg_publication WHERE pubname = $1",
    [publication],
    "looking up the publication",
  );
  if (existing.length === 0) {
    if (tables.length === 0) {
      throw new ConfigError(
        [
          {
            path: "tables",
            message: `publication "${publication}" does not exist: list the tables to stream so it is created, or create it (CREATE PUBLICATION ${publication} FOR TABLE …)`,
          },
        ],
        { where: WHERE },
      );
    }
    const list = tables.map((t) => t.sql).join(", ");
    try {
      await client.query(`CREATE PUBLICATION ${escapeIdentifier(publication)} FOR TABLE ${list}`);
    } catch (error) {
      if (errorCode(error) === "42501") {
        throw new FatalError(
          `the user in connectionString may not create publication "${publication}" (it must own the tables): ` +
            `create it as the tables' owner (CREATE PUBLICATION ${publication} FOR TABLE ${list}) and start again`,
          { cause: error },
        );
      }
      throw classifyPgError(error, `creating publication "${publication}"`);
    }
    logger.info({ publication, tables: tables.length }, "created publication");
    return;
  }
  if (config.tables.length === 0) return;
  const published = await query<{ schemaname: string; tablename: string }>(
    client,
    "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1",
    [publication],
    `reading the tables of publication ${publication}`,
  );
  const inPublication = new Set(published.map((p) => `${p.schemaname}.${p.tablename}`));
  const issues = tables.flatMap((table, i) =>
    inPublication.has(`${table.schema}.${table.name}`)
      ? []
      : [
          {
            path: `tables.${i}`,
            message: `table ${table.schema}.${table.name} is not in publication "${publication}": run ALTER PUBLICATION ${publication} ADD TABLE ${table.sql}`,
          },
        ],
  );
  if (issues.length > 0) throw new ConfigError(issues, { where: WHERE });
}

/**
 * The slot, if it exists.
 * @param client - a connected client
 * @param slot - the slot's name
 * @throws ConfigError if the slot decodes another database or uses another output plugin
 */
export async function inspectSlot(client: Client, slot: string): Promise<SlotInfo | undefined> {
  const rows = await query<{
    plugin: string | null;
    database: string | null;
    confirmed: string | null;
    here: string;
  }>(
    client,
    `SELECT plugin, database, confirmed_flush_lsn::text AS confirmed, current_database() AS here
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
    "looking up the replication slot",
  );
  const row = rows[0];
  if (!row) return undefined;
  if (row.plugin !== "pgoutput" || row.database !== row.here) {
    throw new ConfigError(
      [
        {
          path: "slot",
          message: `replication slot "${slot}" exists but ${
            row.plugin !== "pgoutput"
              ? `uses output plugin ${row.plugin ?? "none (a physical slot)"}, not pgoutput`
              : `decodes database ${row.database}, not ${row.here}`
          }: choose another slot name, or drop it (SELECT pg_drop_replication_slot('${slot}'))`,
        },
      ],
      { where: WHERE },
    );
  }
  return {
    plugin: row.plugin,
    database: row.database,
    confirmedLsn: row.confirmed === null ? undefined : normalizeLsn(row.confirmed),
  };
}

async function describeTable(client: Client, oid: string): Promise<SourceTable> {
  const rows = await query<{ schema: string; name: string; key: string[] | null }>(
    client,
    `SELECT n.nspname AS schema, c.relname AS name,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM pg_index i
               CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              WHERE i.indrelid = c.oid AND i.indisprimary) AS key
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = $1`,
    [oid],
    "reading table definitions",
  );
  const row = rows[0];
  if (!row) throw new FatalError(`table with oid ${oid} disappeared while starting: start again`);
  return {
    schema: row.schema,
    name: row.name,
    sql: quoteTable({ schema: row.schema, name: row.name }),
    primaryKey: row.key ?? [],
  };
}

async function query<T extends object = Record<string, unknown>>(
  client: Client,
  text: string,
  values: unknown[],
  where: string,
): Promise<T[]> {
  try {
    return (await client.query<T>(text, values)).rows;
  } catch (error) {
    throw classifyPgError(error, where);
  }
}
