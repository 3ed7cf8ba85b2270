import pg from "pg";

/** What {@link probePostgres} found. */
export interface PostgresProbe {
  /** `server_version`, e.g. "17.6". */
  serverVersion: string;
  /** `wal_level`: "minimal", "replica" or "logical". */
  walLevel: string;
}

/**
 * Connects to Postgres once, runs `select 1` and reads `wal_level`.
 *
 * @param url - a `postgres://` connection URL
 * @param options - `timeoutMs` for the connection and each query @default 3000
 * @returns the server version and wal level
 * @throws Error from `pg` when the server is unreachable or rejects the login (no secrets in it)
 * @example
 * ```ts
 * const { walLevel } = await probePostgres(process.env.VRSKY_POSTGRES_URL ?? "");
 * ```
 */
export async function probePostgres(
  url: string,
  options: { timeoutMs?: number } = {},
): Promise<PostgresProbe> {
  const timeout = options.timeoutMs ?? 3_000;
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
  });
  // Without a listener, an error on the idle connection would crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    const result = await client.query<{ wal_level: string; server_version: string }>(
      "select current_setting('wal_level') as wal_level, current_setting('server_version') as server_version",
    );
    const row = result.rows[0];
    return { serverVersion: row?.server_version ?? "unknown", walLevel: row?.wal_level ?? "unknown" };
  } finally {
    await client.end().catch(() => {});
  }
}
