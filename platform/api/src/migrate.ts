import { readdir, readFile } from "node:fs/promises";
import pg from "pg";

/** Lock id serialising concurrent `migrate()` calls across processes. */
const MIGRATION_LOCK = 727_001;
const MIGRATION_FILE = /^(\d{3})-[a-z0-9-]+\.sql$/;

/** Result of {@link migrate}. */
export interface MigrateResult {
  /** Migrations applied by this call, in order (e.g. `001-init`). */
  applied: string[];
}

/**
 * Applies the pending SQL migrations of `src/migrations/NNN-name.sql` in order, each inside its
 * own transaction, and records them in `schema_migrations`. Running it again applies nothing.
 * Concurrent callers are serialised with an advisory lock.
 *
 * @param databaseUrl - Postgres connection string
 * @returns the names of the migrations applied now
 * @throws the database error of the failing migration; earlier ones stay applied
 * @example
 * ```ts
 * await migrate("postgres://postgres@127.0.0.1:5432/vrsky");
 * ```
 */
export async function migrate(databaseUrl: string): Promise<MigrateResult> {
  const dir = new URL("./migrations/", import.meta.url);
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      `create table if not exists schema_migrations (
         version text primary key,
         applied_at timestamptz not null default now()
       )`,
    );
    const done = new Set(
      (await client.query<{ version: string }>("select version from schema_migrations")).rows.map(
        (r) => r.version,
      ),
    );
    for (const file of files) {
      const version = file.replace(/\.sql$/, "");
      if (done.has(version)) continue;
      const sql = await readFile(new URL(file, dir), "utf8");
      await client.query("begin");
      try {
        await client.query(sql);
        await client.query("insert into schema_migrations (version) values ($1)", [version]);
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        throw new Error(`migration ${file} failed; fix the SQL and run migrate again`, { cause: error });
      }
      applied.push(version);
    }
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
  return { applied };
}
