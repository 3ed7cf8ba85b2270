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

async function checkNats(
  options: CheckServicesOptions,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  docker: Promise<DockerEngineStatus>,
): Promise<ServiceCheck> {
  const explicit =
    options.targets?.nats === undefined
      ? readNatsUrl(env)
      : { status: "set" as const, value: options.targets.nats };
  if (explicit.status === "invalid")
    return fail("nats", explicit.problem, `fix or unset ${ServiceEnv.NatsUrl}`);
  if (explicit.status === "set") {
    const target = redactUrl(explicit.value);
    try {
      const found = await probeNats(explicit.value, { timeoutMs });
      if (!found.jetstream) {
        return fail(
          "nats",
          `${target} reachable (server ${found.serverVersion}) but JetStream is not enabled`,
          "start nats-server with -js (or a jetstream {} block in its config)",
        );
      }
      return ok("nats", `${target} reachable, JetStream enabled (server ${found.serverVersion})`);
    } catch (error) {
      return fail(
        "nats",
        `${target} not reachable: ${summarizeError(error)}`,
        `start NATS there or fix ${ServiceEnv.NatsUrl}`,
      );
    }
  }
  const binary = await findNatsServer(options.natsServerPath);
  if (binary !== undefined) return ok("nats", `${ServiceEnv.NatsUrl} not set; will start ${binary}`);
  if ((await docker).available)
    return ok("nats", `${ServiceEnv.NatsUrl} not set; will run ${DOCKER_IMAGES.nats} in Docker`);
  return fail(
    "nats",
    `${ServiceEnv.NatsUrl} not set, no Docker engine and no nats-server binary`,
    `set ${ServiceEnv.NatsUrl}, start Docker, or ${NATS_SERVER_INSTALL_HINT}`,
  );
}

async function checkPostgres(
  options: CheckServicesOptions,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  docker: Promise<DockerEngineStatus>,
): Promise<ServiceCheck> {
  const explicit =
    options.targets?.postgres === undefined
      ? readPostgresUrl(env)
      : { status: "set" as const, value: options.targets.postgres };
  if (explicit.status === "invalid")
    return fail("postgres", explicit.problem, `fix or unset ${ServiceEnv.PostgresUrl}`);
  if (explicit.status === "set") {
    const target = redactUrl(explicit.value);
    try {
      const found = await probePostgres(explicit.value, { timeoutMs });
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
    } catch (error) {
      return fail(
        "postgres",
        `${target} not reachable: ${summarizeError(error)}`,
        `start Postgres there or fix ${ServiceEnv.PostgresUrl}`,
      );
    }
  }
  const binaries = await locatePostgresBinaries();
  if (!("missing" in binaries)) {
    return ok(
      "postgres",
      `${ServiceEnv.PostgresUrl} not set; will start embedded Postgres from ${binaries.binDir}`,
    );
  }
  if ((await docker).available) {
    return ok("postgres", `${ServiceEnv.PostgresUrl} not set; will run ${DOCKER_IMAGES.postgres} in Docker`);
  }
  return fail(
    "postgres",
    `${ServiceEnv.PostgresUrl} not set, no Docker engine and ${binaries.missing}`,
    `set ${ServiceEnv.PostgresUrl}, start Docker, or ${POSTGRES_INSTALL_HINT}`,
  );
}

async function checkS3(
  options: CheckServicesOptions,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ServiceCheck> {
  const explicit =
    options.targets?.s3 === undefined
      ? readS3Connection(env)
      : { status: "set" as const, value: options.targets.s3 };
  if (explicit.status === "invalid")
    return fail("s3", explicit.problem, `fix or unset ${ServiceEnv.S3Endpoint}`);
  if (explicit.status === "unset")
    return ok("s3", `${ServiceEnv.S3Endpoint} not set; will run s3rver in-process`);
  const { endpoint, bucket } = explicit.value;
  const target = redactUrl(endpoint);
  try {
    const found = await probeS3(explicit.value, { timeoutMs, signal: options.signal });
    if (!found.bucketExists) {
      return {
        subject: "s3",
        status: "warn",
        summary: `${target} reachable but bucket ${bucket} does not exist`,
        fix: `create bucket ${bucket}, or set ${ServiceEnv.S3Bucket} to an existing one`,
      };
    }
    return ok("s3", `${target} reachable, bucket ${bucket} exists`);
  } catch (error) {
    return fail(
      "s3",
      `${target} not usable: ${summarizeError(error)}`,
      `check ${ServiceEnv.S3Endpoint}, ${ServiceEnv.S3AccessKey} and ${ServiceEnv.S3SecretKey}`,
    );
  }
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
