import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import {
  ApiError,
  createApi,
  migrate,
  type RateLimitOptions,
  S3BundleStore,
  SecretBox,
} from "@vrsky/platform-api";
import { NotRunningError, Orchestrator, type OrchestratorOptions } from "@vrsky/platform-orchestrator";
import { resolveServices, type ServiceOrigin, type ServicesLogger } from "@vrsky/services";
import pg from "pg";
import { type Logger, pino } from "pino";
import { startTenantAccounts } from "./tenant-accounts.js";

/** Options of {@link startPlatform}. */
export interface StartPlatformOptions {
  /** Port of the API; 0 picks a free one. @default 8080 */
  port?: number;
  /** Address the API listens on. @default "127.0.0.1" */
  host?: string;
  /** The operator's token (≥ 16 characters). @default a new random token, returned */
  adminToken?: string;
  /** Where the orchestrator keeps bundles and tenant folders. */
  dataDir: string;
  /** Name of the control plane's database on the Postgres server. @default "vrsky" */
  database?: string;
  /** Which origin of NATS, Postgres and S3 to try first (`VRSKY_*` URLs always win). */
  prefer?: ServiceOrigin;
  /** Environment the service URLs are read from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * How tenants are kept apart on NATS. `accounts` (the default): an operator-mode nats-server
   * this process runs, each tenant its own account with its plan's limits, provisioned when its
   * first worker starts and removed when the tenant is deleted. `shared`: one NATS server from
   * the services resolver (`VRSKY_NATS_URL`, Docker or local), tenants separated only by name
   * prefixes — for development against an existing server.
   * @default "accounts"
   */
  isolation?: "accounts" | "shared";
  /**
   * How often tenant accounts are reconciled (`accounts` isolation): accounts of deleted tenants
   * are removed, and tenants whose integration count crossed a threshold are moved.
   * @default 10000
   */
  sweepIntervalMs?: number;
  /**
   * A tenant with more integrations than this gets a nats-server of its own (`accounts`
   * isolation): it is moved there with everything queued in its streams, its workers paused
   * for the move. It returns to the shared server at 80 % of the threshold.
   * @default 50
   */
  dedicatedThreshold?: number;
  /** Requests per key and window the API allows. @default 600 per minute */
  rateLimit?: RateLimitOptions;
  /**
   * The 32-byte key tenant secrets are sealed with (AES-256-GCM), base64. Keep it: secrets
   * sealed with a lost key cannot be opened.
   * @default VRSKY_SECRETS_KEY from `env`, else `<dataDir>/secrets.key` (created, mode 0600, on first start)
   */
  secretsKey?: string;
  /** JetStream ack wait of the workers. @default 30000 */
  ackWaitMs?: number;
  /** Where the platform reports what it started. */
  servicesLogger?: ServicesLogger;
  logger?: Logger;
}

/** A running platform. */
export interface RunningPlatform {
  /** Base URL of the API, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** The operator's token. */
  adminToken: string;
  /** What each service is and where it came from, safe to show. */
  services: { nats: string; postgres: string; s3: string };
  /** The API server (fastify). */
  api: Awaited<ReturnType<typeof createApi>>;
  orchestrator: Orchestrator;
  /** Stops the orchestrator (workers drain), the API and every service it started. */
  stop(): Promise<void>;
}

/**
 * Starts the whole platform on one machine — what `vrsky platform up` runs: Postgres and S3
 * from the services resolver (URLs from `VRSKY_*` variables, else Docker, else local
 * binaries), an operator-mode NATS with one account per tenant (see `isolation`), the
 * control-plane database migrated, the API, and the orchestrator with its per-tenant workers. For self-hosting on one box, demos and end-to-end tests.
 *
 * @example
 * ```ts
 * const platform = await startPlatform({ dataDir: ".vrsky/platform", port: 8080 });
 * console.log(platform.url, platform.adminToken);
 * ```
 */
export async function startPlatform(options: StartPlatformOptions): Promise<RunningPlatform> {
  const logger = options.logger ?? pino({ level: "info" });
  await mkdir(options.dataDir, { recursive: true });
  const isolation = options.isolation ?? "accounts";
  const services = await resolveServices(
    { nats: isolation === "shared", postgres: true, s3: { bucket: "vrsky-bundles" } },
    {
      env: options.env ?? process.env,
      ...(options.prefer ? { prefer: options.prefer } : {}),
      ...(options.servicesLogger ? { logger: options.servicesLogger } : {}),
      tmpDir: options.dataDir,
    },
  );
  const stack: (() => Promise<void>)[] = [() => services.stop()];
  const unwind = async () => {
    for (const stop of stack.reverse()) await stop().catch(() => undefined);
  };
  try {
    const databaseUrl = await ensureDatabase(services.postgres.url, options.database ?? "vrsky");
    await migrate(databaseUrl);
    const s3 = new S3Client(services.s3);
    stack.push(async () => s3.destroy());
    const bundles = new S3BundleStore({ client: s3, bucket: services.s3.bucket });
    const adminToken = options.adminToken ?? `vrsky_admin_${randomBytes(24).toString("base64url")}`;
    const secrets = await secretBox(options, options.env ?? process.env);
    let orchestrator: Orchestrator | undefined;
    const api = await createApi({
      databaseUrl,
      bundles,
      adminToken,
      secrets,
      deadLetters: async (tenantId, name, request) => {
        if (!orchestrator) throw new ApiError("UNAVAILABLE", "the orchestrator is starting; try again");
        try {
          return await orchestrator.deadLetters(tenantId, name, request);
        } catch (error) {
          if (error instanceof NotRunningError) throw new ApiError("NOT_RUNNING", error.message);
          throw new ApiError("UNAVAILABLE", (error as Error).message);
        }
      },
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    });
    stack.push(() => api.close());
    const address = await api.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 8080 });
    const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    stack.push(() => db.end());
    let connections: OrchestratorOptions["connections"];
    let stopReconciling: (() => Promise<void>) | undefined;
    let natsDescription: string;
    if (isolation === "accounts") {
      const accounts = await startTenantAccounts({
        dir: join(options.dataDir, "nats"),
        logger,
        ...(options.dedicatedThreshold === undefined
          ? {}
          : { dedicatedThreshold: options.dedicatedThreshold }),
      });
      stack.push(() => accounts.stop());
      natsDescription = `${accounts.url} (operator mode: one account per tenant)`;
      connections = async (tenantId) => {
        const { rows } = await db.query<{ plan: string; integrations: number }>(
          "select plan, (select count(*)::int from integrations where tenant_id = $1) as integrations from tenants where id = $1",
          [tenantId],
        );
        return accounts.connection(tenantId, rows[0]?.plan ?? "free", rows[0]?.integrations ?? 0);
      };
      const reconcileAccounts = async () => {
        // Deleted tenants lose their NATS accounts, and every stream in them.
        const { rows: tenants } = await db.query<{ id: string }>("select id from tenants");
        const removed = await accounts.sweep(new Set(tenants.map((r) => r.id)));
        if (removed.length > 0) logger.info({ tenants: removed }, "deprovisioned deleted tenants");
        // Tenants that grew over the threshold (or shrank well below it) move, streams and all.
        if (!orchestrator) return;
        const { rows } = await db.query<{ tenant_id: string; n: number }>(
          "select tenant_id, count(*)::int as n from integrations group by tenant_id",
        );
        const moves = await accounts.misplaced(new Map(rows.map((r) => [r.tenant_id, r.n])));
        for (const { tenantId, count, to } of moves) {
          const backoff = retries.get(tenantId);
          if (backoff !== undefined && Date.now() < backoff.at) continue;
          const reason = `moving to ${to === "dedicated" ? "a dedicated" : "the shared"} NATS server (${count} integrations)`;
          logger.info({ tenantId, to, integrations: count }, reason);
          try {
            const result = await orchestrator.moveTenant(tenantId, reason, () =>
              accounts.relocate(tenantId, count),
            );
            retries.delete(tenantId);
            logger.info({ tenantId, url: result.serverUrl, ...result.moved }, "tenant moved");
          } catch (error) {
            // The tenant runs on where it was; each failed try pauses it, so wait longer each time.
            const delayMs = Math.min(2 * (backoff?.delayMs ?? 30_000), 3_600_000);
            retries.set(tenantId, { at: Date.now() + delayMs, delayMs });
            logger.error({ tenantId, error: String(error), retryInMs: delayMs }, "tenant move failed");
          }
        }
      };
      const retries = new Map<string, { at: number; delayMs: number }>();
      let reconciling: Promise<void> | undefined;
      const timer = setInterval(() => {
        reconciling ??= reconcileAccounts()
          .catch((error: unknown) =>
            logger.error({ error: String(error) }, "tenant account reconcile failed"),
          )
          .finally(() => {
            reconciling = undefined;
          });
      }, options.sweepIntervalMs ?? 10_000);
      // Stopped before the orchestrator (see below), so no move starts while it stops.
      stopReconciling = async () => {
        clearInterval(timer);
        await reconciling;
      };
      stack.push(async () => clearInterval(timer));
    } else {
      const nats = services.nats as { url: string; description: string };
      natsDescription = `${nats.description} (shared: tenants separated by name prefixes)`;
      connections = async (tenantId) => ({
        url: nats.url,
        namespace: `t${tenantId.replaceAll("-", "").slice(0, 12)}-`,
      });
    }
    orchestrator = await Orchestrator.start({
      databaseUrl,
      bundles,
      workDir: join(options.dataDir, "orchestrator"),
      connections,
      secrets,
      ...(options.ackWaitMs ? { ackWaitMs: options.ackWaitMs } : {}),
      logger,
    });
    const started = orchestrator;
    stack.push(() => started.stop());
    if (stopReconciling) stack.push(stopReconciling);
    return {
      url: address,
      adminToken,
      services: {
        nats: natsDescription,
        postgres: services.postgres.description,
        s3: services.s3.description,
      },
      api,
      orchestrator: started,
      stop: unwind,
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}

/** The box tenant secrets are sealed with: the key from the options, the environment, or a key file. */
async function secretBox(options: StartPlatformOptions, env: NodeJS.ProcessEnv): Promise<SecretBox> {
  const given = options.secretsKey ?? env.VRSKY_SECRETS_KEY;
  if (given !== undefined) {
    const key = Buffer.from(given, "base64");
    if (key.length !== 32) {
      throw new Error(
        `VRSKY_SECRETS_KEY must be 32 bytes in base64 (got ${key.length} bytes); generate one with \`openssl rand -base64 32\``,
      );
    }
    return new SecretBox(key);
  }
  const file = join(options.dataDir, "secrets.key");
  try {
    return new SecretBox(Buffer.from((await readFile(file, "utf8")).trim(), "base64"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(32);
  try {
    // `wx`: two platforms starting on one data dir at once must not write two keys.
    await writeFile(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return new SecretBox(Buffer.from((await readFile(file, "utf8")).trim(), "base64"));
  }
  return new SecretBox(key);
}

/** Creates the database on the server if it is missing, and returns its URL. */
async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`database name "${name}" must be lowercase letters, digits and _`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (rowCount === 0) await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
