import { DOCKER_INSTALL_HINT, type DockerEngineStatus, detectDockerEngine } from "./docker-engine.js";
import { DOCKER_IMAGES } from "./docker-services.js";
import { summarizeError } from "./error-summary.js";
import { findNatsServer, NATS_SERVER_INSTALL_HINT } from "./nats-server.js";
import { locatePostgresBinaries, POSTGRES_INSTALL_HINT } from "./postgres-binaries.js";
import { probeNats } from "./probe-nats.js";
import { probePostgres } from "./probe-postgres.js";
import { probeS3 } from "./probe-s3.js";
import { redactUrl } from "./redact-url.js";
import type { S3Connection } from "./s3-connection.js";
import { readNatsUrl, readPostgresUrl, readS3Connection, ServiceEnv } from "./service-env.js";
import type { ServiceName } from "./service-name.js";

/** The outcome of one check: `warn` works for now but limits something (e.g. no CDC). */
export type CheckStatus = "ok" | "warn" | "fail";

/** What was checked: a service or the Docker engine. */
export type CheckSubject = ServiceName | "docker";

/** One line of the {@link ServicesReport}. */
export interface ServiceCheck {
  /** What was checked. */
  subject: CheckSubject;
  /** The outcome. */
  status: CheckStatus;
  /** What was found, e.g. "nats://127.0.0.1:4222 reachable, JetStream enabled (server 2.10.22)"; no secrets. */
  summary: string;
  /** How to fix a `warn` or `fail`. */
  fix?: string;
}

/** What {@link checkServices} found. */
export interface ServicesReport {
  /** `true` when no check failed (warnings allowed). */
  ok: boolean;
  /** One check per service, then Docker. */
  checks: ServiceCheck[];
}

/** Options of {@link checkServices}. */
export interface CheckServicesOptions {
  /** Where the `VRSKY_*` variables are read from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Check these instead of the environment's URLs. */
  targets?: {
    /** A NATS URL. */
    nats?: string;
    /** A Postgres URL. */
    postgres?: string;
    /** An S3 connection. */
    s3?: S3Connection;
  };
  /** The `nats-server` binary the local fallback would run. @default found on PATH or in /usr/sbin */
  natsServerPath?: string;
  /** Per-check timeout. @default 3000 */
  timeoutMs?: number;
  /** Aborts the S3 request and Docker detection; the other checks end by their timeout. */
  signal?: AbortSignal;
}

/**
 * Checks what `vrsky dev` and the tests would get for each service, for `vrsky doctor`. A service
 * with a URL (from `targets` or `VRSKY_*`) is probed: NATS must accept a connection and answer
 * the JetStream API, Postgres must answer `select 1` (and `wal_level=logical` is needed for CDC),
 * S3 must list buckets and hold the bucket. A service without a URL is `ok` when the resolver
 * can start one (a Docker engine, `nats-server`, embedded Postgres binaries, s3rver). Never
 * throws for an unreachable service; every `warn` and `fail` has a fix.
 *
 * @param options - environment, explicit targets, timeout
 * @returns the report; `ok` is false when any check failed
 * @example
 * ```ts
 * const report = await checkServices();
 * for (const c of report.checks) console.log(c.status, c.subject, c.summary, c.fix ?? "");
 * ```
 */
export async function checkServices(options: CheckServicesOptions = {}): Promise<ServicesReport> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const docker = detectDockerEngine({ timeoutMs, signal: options.signal });
  const checks = await Promise.all([
    checkNats(options, env, timeoutMs, docker),
    checkPostgres(options, env, timeoutMs, docker),
    checkS3(options, env, timeoutMs),
    checkDocker(docker),
  ]);
  return { ok: checks.every((c) => c.status !== "fail"), checks };
}

/** How one service is checked: an explicit target is probed, otherwise what would be started. */
interface ServiceCheckPlan<T> {
  subject: ServiceName;
  /** The variable that names the target, for messages. */
  envName: string;
  /** The target from the options or the environment. */
  explicit: { status: "set"; value: T } | { status: "unset" } | { status: "invalid"; problem: string };
  /** Where the target is, safe to show. */
  describe(value: T): string;
  /** Probes the target; throws when it cannot be reached. */
  probe(value: T, target: string): Promise<ServiceCheck>;
  /** What the failure to reach the target says, and its fix. */
  unreachable: { verb: string; fix: string };
  /** The check when no target is set: what the resolver would start. */
  fallback(): Promise<ServiceCheck>;
}

async function checkService<T>(plan: ServiceCheckPlan<T>): Promise<ServiceCheck> {
  const { subject, explicit } = plan;
  if (explicit.status === "invalid") return fail(subject, explicit.problem, `fix or unset ${plan.envName}`);
  if (explicit.status === "unset") return plan.fallback();
  const target = plan.describe(explicit.value);
  try {
    return await plan.probe(explicit.value, target);
  } catch (error) {
    return fail(
      subject,
      `${target} ${plan.unreachable.verb}: ${summarizeError(error)}`,
      plan.unreachable.fix,
    );
  }
}

/** Without a URL: a local binary, else a Docker container, else a failure with install hints. */
async function localOrDocker(
  subject: "nats" | "postgres",
  envName: string,
  local: { found: string } | { missing: string },
  docker: Promise<DockerEngineStatus>,
  installHint: string,
): Promise<ServiceCheck> {
  if ("found" in local) return ok(subject, `${envName} not set; will start ${local.found}`);
  if ((await docker).available) {
    return ok(subject, `${envName} not set; will run ${DOCKER_IMAGES[subject]} in Docker`);
  }
  return fail(
    subject,
    `${envName} not set, no Docker engine and ${local.missing}`,
    `set ${envName}, start Docker, or ${installHint}`,
  );
}

function explicitTarget<T>(
  given: T | undefined,
  fromEnv: () => ServiceCheckPlan<T>["explicit"],
): ServiceCheckPlan<T>["explicit"] {
  return given === undefined ? fromEnv() : { status: "set", value: given };
}

function checkNats(
  options: CheckServicesOptions,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  docker: Promise<DockerEngineStatus>,
): Promise<ServiceCheck> {
  return checkService<string>({
    subject: "nats",
    envName: ServiceEnv.NatsUrl,
    explicit: explicitTarget(options.targets?.nats, () => readNatsUrl(env)),
    describe: redactUrl,
    probe: async (url, target) => {
      const found = await probeNats(url, { timeoutMs });
      if (!found.jetstream) {
        return fail(
          "nats",
          `${target} reachable (server ${found.serverVersion}) but JetStream is not enabled`,
          "start nats-server with -js (or a jetstream {} block in its config)",
        );
      }
      return ok("nats", `${target} reachable, JetStream enabled (server ${found.serverVersion})`);
    },
    unreachable: { verb: "not reachable", fix: `start NATS there or fix ${ServiceEnv.NatsUrl}` },
    fallback: async () => {
      const binary = await findNatsServer(options.natsServerPath);
      const local = binary === undefined ? { missing: "no nats-server binary" } : { found: binary };
      return localOrDocker("nats", ServiceEnv.NatsUrl, local, docker, NATS_SERVER_INSTALL_HINT);
    },
  });
}

function checkPostgres(
  options: CheckServicesOptions,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  docker: Promise<DockerEngineStatus>,
): Promise<ServiceCheck> {
  return checkService<string>({
    subject: "postgres",
    envName: ServiceEnv.PostgresUrl,
    explicit: explicitTarget(options.targets?.postgres, () => readPostgresUrl(env)),
    describe: redactUrl,
    probe: async (url, target) => {
      const found = await probePostgres(url, { timeoutMs });
      const summary = `${target} reachable (Postgres ${found.serverVersion}, wal_level=${found.walLevel})`;
      if (found.walLevel !== "logical") {
        return {
          subject: "postgres",
          status: "warn",
          summary: `${summary}; CDC sources need wal_level=logical`,
          fix: `run "ALTER SYSTEM SET wal_level = logical" and restart that server, or unset ${ServiceEnv.PostgresUrl} to use a private Postgres`,
        };
      }
      return ok("postgres", summary);
    },
    unreachable: { verb: "not reachable", fix: `start Postgres there or fix ${ServiceEnv.PostgresUrl}` },
    fallback: async () => {
      const binaries = await locatePostgresBinaries();
      const local =
        "missing" in binaries
          ? { missing: binaries.missing }
          : { found: `embedded Postgres from ${binaries.binDir}` };
      return localOrDocker("postgres", ServiceEnv.PostgresUrl, local, docker, POSTGRES_INSTALL_HINT);
    },
  });
}

function checkS3(
  options: CheckServicesOptions,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ServiceCheck> {
  return checkService<S3Connection>({
    subject: "s3",
    envName: ServiceEnv.S3Endpoint,
    explicit: explicitTarget(options.targets?.s3, () => readS3Connection(env)),
    describe: (connection) => redactUrl(connection.endpoint),
    probe: async (connection, target) => {
      const found = await probeS3(connection, { timeoutMs, signal: options.signal });
      if (!found.bucketExists) {
        return {
          subject: "s3",
          status: "warn",
          summary: `${target} reachable but bucket ${connection.bucket} does not exist`,
          fix: `create bucket ${connection.bucket}, or set ${ServiceEnv.S3Bucket} to an existing one`,
        };
      }
      return ok("s3", `${target} reachable, bucket ${connection.bucket} exists`);
    },
    unreachable: {
      verb: "not usable",
      fix: `check ${ServiceEnv.S3Endpoint}, ${ServiceEnv.S3AccessKey} and ${ServiceEnv.S3SecretKey}`,
    },
    fallback: async () => ok("s3", `${ServiceEnv.S3Endpoint} not set; will run s3rver in-process`),
  });
}

async function checkDocker(docker: Promise<DockerEngineStatus>): Promise<ServiceCheck> {
  const engine = await docker;
  if (engine.available) return ok("docker", `Docker ${engine.description}`);
  return {
    subject: "docker",
    status: "warn",
    summary: `no Docker engine (${engine.reason}); services without a URL use local binaries`,
    fix: DOCKER_INSTALL_HINT,
  };
}

function ok(subject: CheckSubject, summary: string): ServiceCheck {
  return { subject, status: "ok", summary };
}

function fail(subject: CheckSubject, summary: string, fix: string): ServiceCheck {
  return { subject, status: "fail", summary, fix };
}
