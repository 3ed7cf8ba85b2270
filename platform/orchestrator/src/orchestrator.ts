import { type ChildProcess, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type BundleStore,
  DEFAULT_PLANS,
  INTEGRATIONS_CHANNEL,
  type PinnedConnector,
  type PlanQuota,
  quotaOf,
  type SecretBox,
} from "@vrsky/platform-api";
import pg from "pg";
import { type Logger, pino } from "pino";
import { BundleCache } from "./bundle-cache.js";
import { LogShipper } from "./log-shipper.js";
import { type CachedBundle, FromWorker, type ToWorker } from "./protocol.js";

/** How a tenant's workers reach NATS. */
export interface TenantConnection {
  /** NATS server URL(s) for this tenant. */
  url: string;
  /** The tenant account's user credentials (`.creds` text), in operator/JWT mode. */
  creds?: string;
  /**
   * Prefix of the tenant's stream, consumer and bucket names. Needed only when tenants share a
   * NATS account (development); with one account per tenant names cannot collide.
   */
  namespace?: string;
}

/** Options of {@link Orchestrator.start}. */
export interface OrchestratorOptions {
  /** The control plane's Postgres (migrated by `@vrsky/platform-api`). */
  databaseUrl: string;
  /** The registry's bundle store. */
  bundles: BundleStore;
  /** Where each tenant's workers connect; from the provisioner in production. */
  connections: (tenantId: string) => Promise<TenantConnection>;
  /** Working directory: bundle cache and one folder per tenant (the workers' cwd). */
  workDir: string;
  /** How often every tenant is reconciled besides change notifications. @default 5000 */
  resyncMs?: number;
  /** JetStream ack wait of the workers' consumers: how soon a dead worker's messages return. @default 30000 */
  ackWaitMs?: number;
  /** How often workers report counters. @default 2000 */
  reportMs?: number;
  /**
   * A worker that sends nothing (not even its heartbeat, every `reportMs`) for this long is
   * killed and restarted: it is hung, or its event loop is blocked. @default 5 × reportMs, at least 10 s
   */
  healthTimeoutMs?: number;
  /** First delay before restarting a crashed worker; doubles up to 30 s. @default 500 */
  restartDelayMs?: number;
  /** Quotas by plan name. @default DEFAULT_PLANS */
  plans?: Readonly<Record<string, PlanQuota>>;
  /**
   * Opens the tenant secrets the API sealed (the same key as the API's). Without it an
   * integration that refers to a secret fails to start, saying so.
   */
  secrets?: SecretBox;
  logger?: Logger;
}

/** A worker process as the orchestrator sees it. */
export interface WorkerInfo {
  tenantId: string;
  pid: number | undefined;
  /** Integration name → version it was told to run. */
  integrations: Record<string, number>;
  restarts: number;
}

/** The integration asked about does not run now. */
export class NotRunningError extends Error {
  override readonly name = "NotRunningError";
}

/** A state change of one integration, as written to `integration_status`. */
interface StatusUpdate {
  name: string;
  version: number | null;
  state: "starting" | "running" | "stopped" | "failed" | "restarting";
  error?: string | undefined;
  counters?: Record<string, number> | undefined;
}

interface DesiredRow {
  name: string;
  desired_state: "running" | "stopped";
  current_version: number;
  spec: string;
  format: "yaml" | "json";
  connectors: PinnedConnector[];
  secret_refs: string[];
  suspended: boolean;
  plan: string;
}

/** A tenant secret as stored: sealed, with when it last changed. */
interface SealedSecret {
  sealed: Buffer;
  updatedAt: string;
}

/** tsx's loader (its package's only export), resolved from here rather than the worker's cwd. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

const WORKER_ENTRY = fileURLToPath(
  new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js", import.meta.url),
);

/**
 * Makes the integrations the control plane wants running actually run. Every tenant gets its
 * own worker process, started when it has something to run and stopped when it has nothing;
 * a tenant's connectors never share a process with another tenant's. Changes arrive as
 * Postgres notifications from the API (and a periodic resync catches anything missed). A
 * worker that crashes is restarted with backoff and given its integrations again; messages it
 * had in flight return to JetStream after the ack wait and are delivered then — none are lost.
 * Workers report state and counters, written to `integration_status`; accepted messages are
 * metered per tenant per day, and a tenant over its plan's daily quota has its integrations
 * paused until the next UTC day.
 */
export class Orchestrator {
  readonly #o: OrchestratorOptions;
  readonly #db: pg.Pool;
  readonly #listener: pg.Client;
  readonly #cache: BundleCache;
  readonly #logger: Logger;
  readonly #workers = new Map<string, TenantWorker>();
  readonly #queues = new Map<string, Promise<void>>();
  /** Tenants over their daily quota, with the reason their integrations are paused. */
  readonly #overQuota = new Map<string, string>();
  readonly #moving = new Set<string>();
  readonly #logs: LogShipper;
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;

  private constructor(options: OrchestratorOptions, listener: pg.Client) {
    this.#o = options;
    this.#db = new pg.Pool({ connectionString: options.databaseUrl });
    this.#db.on("error", (error) =>
      this.#logger.error({ error: error.message }, "idle Postgres client failed"),
    );
    this.#listener = listener;
    this.#cache = new BundleCache(join(options.workDir, "bundles"), options.bundles);
    this.#logger = options.logger ?? pino({ level: "info" });
    this.#logs = new LogShipper(this.#db, this.#logger);
  }

  /**
   * Starts listening for changes and reconciles every tenant once.
   * @param options - database, bundle store, tenant connections, work dir
   */
  static async start(options: OrchestratorOptions): Promise<Orchestrator> {
    const listener = new pg.Client({ connectionString: options.databaseUrl });
    await listener.connect();
    const orchestrator = new Orchestrator(options, listener);
    listener.on("notification", (n) => {
      if (n.payload) void orchestrator.reconcile(n.payload);
    });
    listener.on("error", (error) =>
      orchestrator.#logger.error({ error: error.message }, "notification listener failed"),
    );
    await listener.query(`listen ${INTEGRATIONS_CHANNEL}`);
    await orchestrator.reconcileAll();
    orchestrator.#timer = setInterval(() => void orchestrator.reconcileAll(), options.resyncMs ?? 5000);
    return orchestrator;
  }

  /** The worker processes now running. */
  workers(): WorkerInfo[] {
    return [...this.#workers.values()].map((w) => w.info());
  }

  /**
   * Lists, replays or purges an integration's dead letters through the tenant's worker, which
   * holds the only connection to the tenant's NATS account.
   * @throws Error when the integration does not run now
   */
  async deadLetters(tenantId: string, name: string, request: DeadLetterRequest): Promise<unknown> {
    if (this.#moving.has(tenantId)) {
      throw new Error("the tenant is moving to other NATS servers; try again in a few seconds");
    }
    const worker = this.#workers.get(tenantId);
    if (!worker?.runs(name)) throw new NotRunningError(`integration ${name} is not running; start it first`);
    return worker.ask({ type: "dlq", name, ...request });
  }

  /** Reconciles every tenant that has integrations or a worker. */
  async reconcileAll(): Promise<void> {
    const { rows } = await this.#db.query<{ tenant_id: string }>(
      "select distinct tenant_id from integrations",
    );
    const tenants = new Set([...rows.map((r) => r.tenant_id), ...this.#workers.keys()]);
    await Promise.all([...tenants].map((t) => this.reconcile(t)));
  }

  /**
   * Brings one tenant's workers in line with what the control plane wants; changes for one
   * tenant are applied one at a time, in order.
   */
  reconcile(tenantId: string): Promise<void> {
    return this.#serially(tenantId, () => this.#reconcile(tenantId)).catch((error: unknown) => {
      this.#logger.error({ tenantId, error: (error as Error).message }, "reconcile failed");
    });
  }

  /**
   * Moves a tenant to other NATS servers without losing a message: its worker drains and exits
   * (sources stop; whatever is queued stays in JetStream), `move` runs while nothing of the
   * tenant's is connected — the provisioner's `relocate` copies the account's streams to the
   * new server there —, then a new worker starts (asking `connections` again, which now
   * answers the new server) and runs the tenant's integrations, picking up the queued messages.
   * Their status reads `restarting` meanwhile, and dead-letter requests answer "try again".
   * When `move` fails, the worker starts again where it was and the error is thrown.
   *
   * @param tenantId - the tenant
   * @param reason - shown in the integrations' status while it moves
   * @param move - moves the tenant's account; its result is returned
   */
  moveTenant<T>(tenantId: string, reason: string, move: () => Promise<T>): Promise<T> {
    return this.#serially(tenantId, async () => {
      const worker = this.#workers.get(tenantId);
      this.#moving.add(tenantId);
      let moved: { value: T } | { error: unknown };
      try {
        if (worker) {
          this.#workers.delete(tenantId);
          for (const name of worker.names()) {
            await this.#writeStatus(tenantId, worker, {
              name,
              version: null,
              state: "restarting",
              error: reason,
            });
          }
          await worker.shutdown();
        }
        moved = { value: await move() };
      } catch (error) {
        moved = { error };
      } finally {
        this.#moving.delete(tenantId);
      }
      // Starting the worker again is the reconcile's business (it retries on its own schedule);
      // its failure must not be reported as the move's.
      await this.#reconcile(tenantId).catch((error: unknown) => {
        this.#logger.error({ tenantId, error: (error as Error).message }, "reconcile after a move failed");
      });
      if ("error" in moved) throw moved.error;
      return moved.value;
    });
  }

  /** Runs `work` after every earlier change of the tenant has settled; changes never interleave. */
  #serially<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(tenantId) ?? Promise.resolve();
    const next = previous.then(work);
    this.#queues.set(
      tenantId,
      next.then(
        () => undefined,
        () => undefined,
      ),
    );
    return next;
  }

  async #reconcile(tenantId: string): Promise<void> {
    if (this.#stopping) return;
    const { rows } = await this.#db.query<DesiredRow>(
      `select i.name, i.desired_state, i.current_version, v.spec, v.format, v.connectors, v.secret_refs, t.suspended, t.plan
         from integrations i
         join tenants t on t.id = i.tenant_id
         join integration_versions v on v.integration_id = i.id and v.version = i.current_version
        where i.tenant_id = $1`,
      [tenantId],
    );
    const wanted = rows.filter((r) => r.desired_state === "running" && !r.suspended);
    const plan = rows[0]?.plan;
    let worker = this.#workers.get(tenantId);
    for (const row of rows) {
      if (!wanted.includes(row) && !worker?.runs(row.name)) await this.#recordStopped(tenantId, row.name);
    }
    if (wanted.length === 0) {
      if (worker) {
        this.#workers.delete(tenantId);
        await worker.shutdown();
        for (const name of worker.names()) await this.#recordStopped(tenantId, name);
      }
      return;
    }
    if (!worker) {
      worker = await this.#spawn(tenantId);
      this.#workers.set(tenantId, worker);
    }
    const secrets = await this.#secretsOf(tenantId, wanted);
    for (const row of wanted) {
      const used = row.secret_refs.map((name) => secrets.get(name));
      // A new version, or a new value of a secret it uses, restarts the integration.
      const revision = `${row.current_version}:${createHash("sha256")
        .update(JSON.stringify(row.secret_refs.map((name, i) => [name, used[i]?.updatedAt ?? null])))
        .digest("hex")
        .slice(0, 16)}`;
      if (worker.revisionOf(row.name) === revision) continue;
      let bundles: CachedBundle[];
      let values: Record<string, string>;
      try {
        values = this.#openSecrets(tenantId, row.secret_refs, secrets);
        bundles = await Promise.all(row.connectors.map((pin) => this.#cache.get(pin)));
      } catch (error) {
        await this.#writeStatus(tenantId, worker, {
          name: row.name,
          version: row.current_version,
          state: "failed",
          error: (error as Error).message,
        });
        continue;
      }
      worker.send({
        type: "run",
        name: row.name,
        version: row.current_version,
        revision,
        spec: row.spec,
        format: row.format,
        bundles,
        secrets: values,
      });
      // A tenant over its daily quota stays paused in a new worker or a restarted integration.
      const reason = this.#overQuota.get(tenantId);
      if (reason !== undefined) worker.send({ type: "pause", name: row.name, reason });
    }
    for (const name of worker.names()) {
      if (!wanted.some((r) => r.name === name)) worker.send({ type: "stop", name });
    }
    if (plan !== undefined) await this.#enforceDailyQuota(tenantId, plan, worker);
  }

  /** The sealed secrets the wanted integrations refer to, by name. */
  async #secretsOf(tenantId: string, wanted: DesiredRow[]): Promise<Map<string, SealedSecret>> {
    const names = [...new Set(wanted.flatMap((row) => row.secret_refs))];
    if (names.length === 0) return new Map();
    const { rows } = await this.#db.query<{ name: string; sealed: Buffer; updated_at: Date }>(
      "select name, sealed, updated_at from tenant_secrets where tenant_id = $1 and name = any($2)",
      [tenantId, names],
    );
    return new Map(
      rows.map((row) => [row.name, { sealed: row.sealed, updatedAt: row.updated_at.toISOString() }]),
    );
  }

  /** @throws Error naming a secret that is missing or does not open */
  #openSecrets(tenantId: string, names: string[], sealed: Map<string, SealedSecret>): Record<string, string> {
    const values: Record<string, string> = {};
    for (const name of names) {
      const secret = sealed.get(name);
      // A missing one is left out: the worker's spec check names it and says how to set it.
      if (secret === undefined) continue;
      if (this.#o.secrets === undefined) {
        throw new Error(
          `secret "${name}" cannot be opened: this platform has no secrets key (VRSKY_SECRETS_KEY)`,
        );
      }
      values[name] = this.#o.secrets.open(tenantId, name, secret.sealed);
    }
    return values;
  }

  async #spawn(tenantId: string): Promise<TenantWorker> {
    const connection = await this.#o.connections(tenantId);
    const dir = join(this.#o.workDir, "tenants", tenantId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: process.env.NODE_ENV,
      VRSKY_TENANT: tenantId,
      VRSKY_NATS_URL: connection.url,
      VRSKY_NAMESPACE: connection.namespace ?? "",
      VRSKY_ACK_WAIT_MS: String(this.#o.ackWaitMs ?? 30_000),
      VRSKY_REPORT_MS: String(this.#o.reportMs ?? 2000),
    };
    if (connection.creds) {
      // A file only the worker's user can read, rather than an environment variable.
      const credsFile = join(dir, "nats.creds");
      await writeFile(credsFile, connection.creds, { mode: 0o600 });
      await chmod(credsFile, 0o600);
      env.VRSKY_NATS_CREDS_FILE = credsFile;
    }
    let reports: Promise<void> = Promise.resolve();
    const worker = new TenantWorker({
      tenantId,
      cwd: dir,
      env,
      restartDelayMs: this.#o.restartDelayMs ?? 500,
      healthTimeoutMs: this.#o.healthTimeoutMs ?? Math.max(10_000, 5 * (this.#o.reportMs ?? 2000)),
      logger: this.#logger,
      // One report at a time per tenant, so a later state never lands before an earlier one.
      onStatus: (message) => {
        reports = reports
          .then(() => this.#onStatus(tenantId, worker, message))
          .catch((error: unknown) => {
            this.#logger.error(
              { tenantId, error: (error as Error).message },
              "cannot record a worker report",
            );
          });
      },
      onRestarted: () => void this.reconcile(tenantId),
      onLogLine: (line) => this.#logs.add(tenantId, connection.namespace ?? "", line),
      onLost: (names) => {
        for (const name of names) {
          void this.#writeStatus(tenantId, worker, {
            name,
            version: null,
            state: "restarting",
            error: "the worker exited; restarting it",
          });
        }
      },
    });
    await worker.start();
    return worker;
  }

  async #onStatus(tenantId: string, worker: TenantWorker, message: FromWorker): Promise<void> {
    if (message.type !== "status") return;
    // Only the tenant's current worker speaks for its integrations: one already let go of (it
    // drains for a move, or because nothing is wanted) reports them stopped on its way out,
    // and the orchestrator has recorded what is true instead. Its counts are still metered.
    if (this.#workers.get(tenantId) === worker) await this.#writeStatus(tenantId, worker, message);
    const delta = message.acceptedSinceLast ?? 0;
    if (delta === 0) return;
    await this.#db.query(
      `insert into tenant_usage (tenant_id, day, messages) values ($1, (now() at time zone 'utc')::date, $2)
       on conflict (tenant_id, day) do update set messages = tenant_usage.messages + excluded.messages`,
      [tenantId, delta],
    );
    const { rows } = await this.#db.query<{ plan: string }>("select plan from tenants where id = $1", [
      tenantId,
    ]);
    if (rows[0]) await this.#enforceDailyQuota(tenantId, rows[0].plan, worker);
  }

  async #enforceDailyQuota(tenantId: string, plan: string, worker: TenantWorker): Promise<void> {
    const quota = quotaOf(this.#o.plans ?? DEFAULT_PLANS, plan);
    const { rows } = await this.#db.query<{ messages: string }>(
      "select messages from tenant_usage where tenant_id = $1 and day = (now() at time zone 'utc')::date",
      [tenantId],
    );
    const used = Number(rows[0]?.messages ?? 0);
    const over = used >= quota.maxMessagesPerDay;
    if (over === this.#overQuota.has(tenantId)) return;
    if (over) {
      const reason = `daily message quota of plan "${plan}" reached (${used} of ${quota.maxMessagesPerDay}); sources are paused until 00:00 UTC — move to a larger plan to lift it`;
      this.#overQuota.set(tenantId, reason);
      this.#logger.warn({ tenantId, used, quota: quota.maxMessagesPerDay }, "daily quota reached; pausing");
      for (const name of worker.names()) worker.send({ type: "pause", name, reason });
    } else {
      this.#overQuota.delete(tenantId);
      for (const name of worker.names()) worker.send({ type: "resume", name });
    }
  }

  async #writeStatus(tenantId: string, worker: TenantWorker, message: StatusUpdate): Promise<void> {
    await this.#db
      .query(
        `insert into integration_status (integration_id, state, version, worker, error, counters, updated_at)
         select id, $3, $4, $5, $6, $7, now() from integrations where tenant_id = $1 and name = $2
         on conflict (integration_id) do update set state = excluded.state,
           version = coalesce(excluded.version, integration_status.version), worker = excluded.worker,
           error = excluded.error, counters = coalesce(excluded.counters, integration_status.counters),
           updated_at = now()`,
        [
          tenantId,
          message.name,
          message.state,
          message.version,
          worker.label(),
          message.error ?? null,
          message.counters ? JSON.stringify(message.counters) : null,
        ],
      )
      .catch((error: unknown) => {
        this.#logger.error({ tenantId, error: (error as Error).message }, "cannot write integration status");
      });
  }

  async #recordStopped(tenantId: string, name: string): Promise<void> {
    await this.#db.query(
      `update integration_status s set state = 'stopped', error = null, updated_at = now()
         from integrations i where s.integration_id = i.id and i.tenant_id = $1 and i.name = $2 and s.state <> 'stopped'`,
      [tenantId, name],
    );
  }

  /** Stops every worker (each drains its integrations) and closes the database connections. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    await Promise.allSettled([...this.#queues.values()]);
    await Promise.all([...this.#workers.values()].map((w) => w.shutdown()));
    this.#workers.clear();
    await this.#logs.flush();
    await this.#listener.end().catch(() => undefined);
    await this.#db.end();
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** A question about one integration's dead letters. */
export type DeadLetterRequest =
  | { op: "list"; limit?: number; fromSeq?: number }
  | { op: "show"; seq: number }
  | { op: "replay" | "purge"; selector: NonNullable<Extract<ToWorker, { type: "dlq" }>["selector"]> };

interface TenantWorkerOptions {
  tenantId: string;
  /** Silence after which the process is killed and restarted. */
  healthTimeoutMs: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  restartDelayMs: number;
  logger: Logger;
  onStatus(message: FromWorker): void;
  /** The worker came back after a crash; it runs nothing yet. */
  onRestarted(): void;
  /** The worker crashed while running these integrations. */
  onLost(names: string[]): void;
  /** One line the worker logged (pino JSON). */
  onLogLine(line: string): void;
}

/** One tenant's worker process, restarted with backoff when it dies unexpectedly. */
class TenantWorker {
  readonly #o: TenantWorkerOptions;
  readonly #sent = new Map<string, number>();
  readonly #revisions = new Map<string, string>();
  readonly #pending = new Map<string, { resolve(value: unknown): void; reject(error: Error): void }>();
  #child: ChildProcess | undefined;
  #restarts = 0;
  #lastHeard = Date.now();
  #health: NodeJS.Timeout | undefined;
  #delay: number;
  #closing = false;

  constructor(options: TenantWorkerOptions) {
    this.#o = options;
    this.#delay = options.restartDelayMs;
  }

  info(): WorkerInfo {
    return {
      tenantId: this.#o.tenantId,
      pid: this.#child?.pid,
      integrations: Object.fromEntries(this.#sent),
      restarts: this.#restarts,
    };
  }

  label(): string {
    return `worker-${this.#child?.pid ?? "none"}`;
  }

  names(): string[] {
    return [...this.#sent.keys()];
  }

  runs(name: string): boolean {
    return this.#sent.has(name);
  }

  revisionOf(name: string): string | undefined {
    return this.#revisions.get(name);
  }

  /**
   * Sends a command; while the process is down nothing is sent or recorded — the restart
   * reconciles the tenant and resends everything.
   */
  send(message: ToWorker): void {
    const child = this.#child;
    if (!child?.connected) return;
    if (message.type === "run") {
      this.#sent.set(message.name, message.version);
      this.#revisions.set(message.name, message.revision);
    }
    if (message.type === "stop") {
      this.#sent.delete(message.name);
      this.#revisions.delete(message.name);
    }
    child.send(message, (error) => {
      if (error)
        this.#o.logger.warn({ tenantId: this.#o.tenantId, error: error.message }, "worker unreachable");
    });
  }

  /**
   * Asks the worker something and waits for its answer.
   * @throws Error when the worker is down, answers with an error, or takes over `timeoutMs`
   */
  async ask(
    question: DistributiveOmit<Extract<ToWorker, { type: "dlq" }>, "requestId">,
    timeoutMs = 30_000,
  ): Promise<unknown> {
    const child = this.#child;
    if (!child?.connected) throw new Error("the tenant's worker is restarting; try again");
    const requestId = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(new Error(`the worker did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(requestId, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      child.send({ ...question, requestId });
    });
  }

  /** Forks the process and waits until it is connected to NATS. */
  async start(): Promise<void> {
    const tsSource = WORKER_ENTRY.endsWith(".ts");
    const child = fork(WORKER_ENTRY, [], {
      cwd: this.#o.cwd,
      env: this.#o.env,
      // From the TypeScript sources (tests), the worker runs through tsx, found from here rather
      // than from the worker's cwd.
      execArgv: tsSource ? ["--conditions=@vrsky/source", "--import", TSX_LOADER] : [],
      stdio: ["ignore", "inherit", "pipe", "ipc"],
    });
    this.#child = child;
    if (child.stderr) {
      createInterface({ input: child.stderr }).on("line", (line) => this.#o.onLogLine(line));
    }
    const startedAt = Date.now();
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the worker exited during start (code ${code})`));
      child.once("exit", onExit);
      child.on("message", (raw) => {
        this.#lastHeard = Date.now();
        const parsed = FromWorker.safeParse(raw);
        if (!parsed.success) return;
        const message = parsed.data;
        if (message.type === "ready") {
          child.off("exit", onExit);
          resolve();
        } else if (message.type === "dlq-result") {
          const waiter = this.#pending.get(message.requestId);
          this.#pending.delete(message.requestId);
          if (message.ok) waiter?.resolve(message.result);
          else waiter?.reject(new Error(message.error ?? "the worker failed"));
        } else if (message.type !== "heartbeat") this.#o.onStatus(message);
      });
    });
    // Watched from "ready" on: starting (loading the runtime) may take a while under load.
    this.#lastHeard = Date.now();
    this.#watch(child);
    child.once("exit", (code, signal) => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error("the worker exited; try again"));
      this.#pending.clear();
      if (this.#closing || this.#child !== child) return;
      const names = this.names();
      this.#sent.clear();
      this.#revisions.clear();
      this.#o.logger.warn(
        { tenantId: this.#o.tenantId, code, signal, integrations: names },
        "worker died; restarting",
      );
      this.#o.onLost(names);
      // A worker that ran a while gets a quick restart; one that keeps dying backs off.
      this.#delay =
        Date.now() - startedAt > 30_000 ? this.#o.restartDelayMs : Math.min(this.#delay * 2, 30_000);
      setTimeout(() => void this.#restart(), this.#delay).unref();
    });
  }

  /** Kills the process when it falls silent; the exit handler then restarts it. */
  #watch(child: ChildProcess): void {
    clearInterval(this.#health);
    const every = Math.max(250, Math.floor(this.#o.healthTimeoutMs / 4));
    this.#health = setInterval(() => {
      if (this.#closing || this.#child !== child || child.exitCode !== null) return;
      const silent = Date.now() - this.#lastHeard;
      if (silent < this.#o.healthTimeoutMs) return;
      this.#o.logger.warn(
        { tenantId: this.#o.tenantId, pid: child.pid, silentMs: silent },
        "worker unresponsive; killing it",
      );
      child.kill("SIGKILL");
    }, every);
    this.#health.unref();
  }

  async #restart(): Promise<void> {
    if (this.#closing) return;
    this.#restarts += 1;
    try {
      await this.start();
      this.#o.onRestarted();
    } catch (error) {
      this.#o.logger.error(
        { tenantId: this.#o.tenantId, error: (error as Error).message },
        "worker restart failed",
      );
      this.#delay = Math.min(this.#delay * 2, 30_000);
      setTimeout(() => void this.#restart(), this.#delay).unref();
    }
  }

  /** Asks the worker to drain and exit; kills it if it takes longer than `graceMs`. */
  async shutdown(graceMs = 15_000): Promise<void> {
    this.#closing = true;
    clearInterval(this.#health);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
