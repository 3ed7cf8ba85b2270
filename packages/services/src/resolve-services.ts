import { DOCKER_INSTALL_HINT, type DockerEngineStatus, detectDockerEngine } from "./docker-engine.js";
import {
  DOCKER_IMAGES,
  startMinioContainer,
  startNatsContainer,
  startPostgresContainer,
} from "./docker-services.js";
import { startEmbeddedPostgres } from "./embedded-postgres.js";
import { summarizeError } from "./error-summary.js";
import type { ManagedService } from "./managed-service.js";
import { NATS_SERVER_INSTALL_HINT, startNatsServer } from "./nats-server.js";
import { POSTGRES_INSTALL_HINT } from "./postgres-binaries.js";
import { probePostgres } from "./probe-postgres.js";
import { redactUrl } from "./redact-url.js";
import type { S3Connection } from "./s3-connection.js";
import { startS3Server } from "./s3-server.js";
import {
  type ExplicitService,
  readNatsUrl,
  readPostgresUrl,
  readS3Connection,
  ServiceEnv,
} from "./service-env.js";
import type { ServiceName } from "./service-name.js";
import { DEFAULT_ORIGIN_ORDER, type ServiceOrigin } from "./service-origin.js";
import { type ServiceAttempt, ServiceUnavailableError } from "./service-unavailable-error.js";

/** What a caller needs from Postgres. */
export interface PostgresRequest {
  /** `"logical"`: CDC will create replication slots; an explicit URL is checked for it. */
  walLevel?: "logical";
}

/** What a caller needs from S3. */
export interface S3Request {
  /** The bucket to create on a started server (`VRSKY_S3_BUCKET` wins for a URL). @default "vrsky" */
  bucket?: string;
}

/** The services a caller needs; leave out or set `false` what it does not. */
export interface ServicesRequest {
  /** NATS with JetStream. */
  nats?: boolean;
  /** Postgres; pass `{ walLevel: "logical" }` for CDC. */
  postgres?: boolean | PostgresRequest;
  /** An S3-compatible bucket. */
  s3?: boolean | S3Request;
}

/** Fields every resolved service has. */
export interface ResolvedServiceInfo {
  /** Where it came from. */
  origin: ServiceOrigin;
  /** What it is and where, safe to log: URLs are redacted. */
  description: string;
}

/** A resolved NATS server. */
export interface ResolvedNats extends ResolvedServiceInfo {
  /** Client URL (or comma-separated list); may carry credentials, so log `description` instead. */
  url: string;
}

/** A resolved Postgres server. */
export interface ResolvedPostgres extends ResolvedServiceInfo {
  /** Connection URL with credentials; log `description` instead. */
  url: string;
}

/** A resolved S3 bucket; spreads into `new S3Client(…)`. */
export interface ResolvedS3 extends ResolvedServiceInfo, S3Connection {}

/** The resolved type of each service. */
export interface ResolvedServiceMap {
  /** NATS. */
  nats: ResolvedNats;
  /** Postgres. */
  postgres: ResolvedPostgres;
  /** S3. */
  s3: ResolvedS3;
}

type Requested<V> = [Exclude<V, false | undefined>] extends [never]
  ? "no"
  : [Extract<V, false | undefined>] extends [never]
    ? "yes"
    : "maybe";

type Pick3<R, Want extends "yes" | "maybe"> = {
  [K in ServiceName as K extends keyof R
    ? Requested<R[K]> extends Want
      ? K
      : never
    : never]: ResolvedServiceMap[K];
};

/**
 * The result of {@link resolveServices}: one entry per requested service (required when the
 * request says `true` or an object, optional when it is a plain `boolean`) and `stop()`.
 */
export type ResolvedServices<R extends ServicesRequest = ServicesRequest> = Readonly<Pick3<R, "yes">> &
  Partial<Readonly<Pick3<R, "maybe">>> & {
    /** Stops what the resolver started (containers, processes); URL services are left alone. Idempotent. */
    stop(): Promise<void>;
  };

/** Where the resolver reports its choices. `console` fits. */
export interface ServicesLogger {
  /** A decision, e.g. "nats: started nats://127.0.0.1:41234 (local nats-server)". */
  info(message: string): void;
  /** An origin that did not work and was skipped. */
  warn(message: string): void;
}

/** Options of {@link resolveServices}. */
export interface ResolveServicesOptions {
  /** Where the `VRSKY_*` variables are read from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Try this origin first, then the others in the default order (url, docker, local). */
  prefer?: ServiceOrigin;
  /** The origins to try at all. @default ["url", "docker", "local"] */
  sources?: readonly ServiceOrigin[];
  /** Aborts the resolution; whatever was started is stopped and the reason thrown. */
  signal?: AbortSignal;
  /** Receives one line per decision. @default silent */
  logger?: ServicesLogger;
  /** The `nats-server` binary for the local origin. @default found on PATH or in /usr/sbin */
  natsServerPath?: string;
  /** Parent of the temp folders of local services. @default os.tmpdir() */
  tmpDir?: string;
  /** How long to wait for a Docker engine to answer. @default 3000 */
  dockerTimeoutMs?: number;
}

/** How to get each service at all, shown when every origin failed. */
const SERVICE_FIX: Record<ServiceName, string> = {
  nats: `set ${ServiceEnv.NatsUrl}=nats://host:4222 (JetStream enabled), start Docker, or ${NATS_SERVER_INSTALL_HINT}`,
  postgres: `set ${ServiceEnv.PostgresUrl}=postgres://user:password@host:5432/db, start Docker, or ${POSTGRES_INSTALL_HINT}`,
  s3: `set ${ServiceEnv.S3Endpoint} with ${ServiceEnv.S3AccessKey} and ${ServiceEnv.S3SecretKey}, or start Docker`,
};

const ENV_OF: Record<ServiceName, string> = {
  nats: ServiceEnv.NatsUrl,
  postgres: ServiceEnv.PostgresUrl,
  s3: ServiceEnv.S3Endpoint,
};

/** What one origin produced for one service. */
type Outcome<T> =
  | { kind: "ok"; value: T; description: string; started?: ManagedService }
  | { kind: "skip"; problem: string; fix: string };

type OriginHandlers<T> = Record<ServiceOrigin, () => Promise<Outcome<T>>>;

interface Resolved<T> {
  value: T;
  origin: ServiceOrigin;
  description: string;
  started?: ManagedService;
}

/**
 * Provides NATS, Postgres and S3 for `vrsky dev` and tests. For each requested service it tries,
 * in order: an explicit URL from the environment (`VRSKY_NATS_URL`, `VRSKY_POSTGRES_URL`,
 * `VRSKY_S3_ENDPOINT`…), a container through Testcontainers when a Docker engine answers
 * (detection gives up after 3 s), then a private local process (`nats-server`, embedded Postgres
 * with `wal_level=logical`, s3rver). An explicit URL that is set but unusable is an error, never
 * silently replaced by another origin.
 *
 * @param request - which services are needed
 * @param options - environment, preferred origin, abort signal, logger
 * @returns each requested service with its URL, origin and redacted description, and `stop()`
 * @throws ServiceUnavailableError listing each origin tried and how to make one work
 * @example
 * ```ts
 * const services = await resolveServices({ nats: true, postgres: { walLevel: "logical" } });
 * try {
 *   console.log(services.nats.description, services.postgres.description);
 * } finally {
 *   await services.stop();
 * }
 * ```
 */
export async function resolveServices<const R extends ServicesRequest>(
  request: R,
  options: ResolveServicesOptions = {},
): Promise<ResolvedServices<R>> {
  const { signal } = options;
  signal?.throwIfAborted();
  const env = options.env ?? process.env;
  const log = options.logger;
  const order = originOrder(options);
  let docker: Promise<DockerEngineStatus> | undefined;
  const dockerEngine = (): Promise<DockerEngineStatus> => {
    docker ??= detectDockerEngine({ timeoutMs: options.dockerTimeoutMs, signal });
    return docker;
  };
  const inDocker = async <S extends ManagedService, T>(
    image: string,
    start: () => Promise<S>,
    value: (s: S) => T,
  ): Promise<Outcome<T>> => {
    const engine = await dockerEngine();
    if (!engine.available) {
      return {
        kind: "skip",
        problem: `no Docker engine answered (${engine.reason})`,
        fix: DOCKER_INSTALL_HINT,
      };
    }
    try {
      return startedOutcome(await start(), value);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return {
        kind: "skip",
        problem: `${image} did not start in Docker: ${summarizeError(error)}`,
        fix: `check that "docker pull ${image}" works`,
      };
    }
  };

  const postgresRequest = typeof request.postgres === "object" ? request.postgres : {};
  const s3Request = typeof request.s3 === "object" ? request.s3 : {};
  const jobs: [ServiceName, Promise<Resolved<unknown>>][] = [];

  if (request.nats) {
    jobs.push([
      "nats",
      resolveOne<string>("nats", order, log, {
        url: async () => fromEnv("nats", readNatsUrl(env)),
        docker: () =>
          inDocker(
            DOCKER_IMAGES.nats,
            () => startNatsContainer({ signal }),
            (s) => s.url,
          ),
        local: () =>
          startedLocally(
            () => startNatsServer({ natsServerPath: options.natsServerPath, tmpDir: options.tmpDir, signal }),
            (s) => s.url,
            signal,
          ),
      }),
    ]);
  }
  if (request.postgres) {
    jobs.push([
      "postgres",
      resolveOne<string>("postgres", order, log, {
        url: async () => {
          const explicit = fromEnv("postgres", readPostgresUrl(env));
          if (explicit.kind === "ok" && postgresRequest.walLevel === "logical") {
            await requireLogicalWal(explicit.value);
          }
          return explicit;
        },
        docker: () =>
          inDocker(
            DOCKER_IMAGES.postgres,
            () => startPostgresContainer({ signal }),
            (s) => s.url,
          ),
        local: () =>
          startedLocally(
            () => startEmbeddedPostgres({ walLevel: "logical", tmpDir: options.tmpDir, signal }),
            (s) => s.url,
            signal,
          ),
      }),
    ]);
  }
  if (request.s3) {
    const bucket = s3Request.bucket;
    jobs.push([
      "s3",
      resolveOne<S3Connection>("s3", order, log, {
        url: async () => fromEnv("s3", readS3Connection(env, bucket)),
        docker: () =>
          inDocker(DOCKER_IMAGES.s3, () => startMinioContainer({ bucket, signal }), toS3Connection),
        local: () =>
          startedLocally(
            () => startS3Server({ bucket, tmpDir: options.tmpDir, signal }),
            toS3Connection,
            signal,
          ),
      }),
    ]);
  }

  const settled = await Promise.allSettled(jobs.map(([, job]) => job));
  const startedServices = settled.flatMap((s) =>
    s.status === "fulfilled" && s.value.started ? [s.value.started] : [],
  );
  const stop = stopAll(startedServices);
  const failure = settled.find((s) => s.status === "rejected");
  if (failure !== undefined) {
    await stop();
    if (signal?.aborted) throw signal.reason;
    throw failure.reason;
  }

  const result: Record<string, unknown> = { stop };
  jobs.forEach(([name], index) => {
    const outcome = settled[index];
    if (outcome?.status !== "fulfilled") return;
    const { value, origin, description } = outcome.value;
    result[name] =
      name === "s3"
        ? { ...(value as S3Connection), origin, description }
        : { url: value as string, origin, description };
  });
  // The entries were built from the request above, which is exactly what ResolvedServices<R> maps.
  return result as ResolvedServices<R>;
}

function originOrder(options: ResolveServicesOptions): ServiceOrigin[] {
  const sources = options.sources ?? DEFAULT_ORIGIN_ORDER;
  const ordered = DEFAULT_ORIGIN_ORDER.filter((o) => sources.includes(o));
  const { prefer } = options;
  if (prefer === undefined || !ordered.includes(prefer)) return ordered;
  return [prefer, ...ordered.filter((o) => o !== prefer)];
}

async function resolveOne<T>(
  service: ServiceName,
  order: readonly ServiceOrigin[],
  log: ServicesLogger | undefined,
  handlers: OriginHandlers<T>,
): Promise<Resolved<T>> {
  const attempts: ServiceAttempt[] = [];
  for (const origin of order) {
    const outcome = await handlers[origin]();
    if (outcome.kind === "ok") {
      log?.info(`${service}: using ${outcome.description}`);
      return { value: outcome.value, origin, description: outcome.description, started: outcome.started };
    }
    log?.warn(`${service}: ${origin} skipped: ${outcome.problem}`);
    attempts.push({ origin, problem: outcome.problem, fix: outcome.fix });
  }
  throw new ServiceUnavailableError(`${service} is not available`, {
    service,
    fix: SERVICE_FIX[service],
    attempts,
  });
}

function fromEnv<T>(service: ServiceName, explicit: ExplicitService<T>): Outcome<T> {
  switch (explicit.status) {
    case "unset":
      return {
        kind: "skip",
        problem: `${ENV_OF[service]} is not set`,
        fix: `set ${ENV_OF[service]} to use an existing server`,
      };
    case "invalid":
      // The user asked for this server explicitly: replacing it with another would hide the mistake.
      throw new ServiceUnavailableError(explicit.problem, {
        service,
        fix: `fix ${ENV_OF[service]}, or unset it to let VRSky start ${service} itself`,
      });
    case "set":
      return {
        kind: "ok",
        value: explicit.value,
        description: `${explicit.description} (from ${ENV_OF[service]})`,
      };
  }
}

async function requireLogicalWal(url: string): Promise<void> {
  const target = redactUrl(url);
  let walLevel: string;
  try {
    ({ walLevel } = await probePostgres(url));
  } catch (error) {
    throw new ServiceUnavailableError(
      `${ServiceEnv.PostgresUrl} (${target}) is not reachable: ${summarizeError(error)}`,
      {
        service: "postgres",
        fix: `start that server or fix the URL, or unset ${ServiceEnv.PostgresUrl} to let VRSky start a private Postgres`,
        cause: error,
      },
    );
  }
  if (walLevel !== "logical") {
    throw new ServiceUnavailableError(
      `${ServiceEnv.PostgresUrl} (${target}) runs with wal_level=${walLevel}, CDC needs logical`,
      {
        service: "postgres",
        fix: `run "ALTER SYSTEM SET wal_level = logical" and restart that server, or unset ${ServiceEnv.PostgresUrl} to let VRSky start a private Postgres`,
      },
    );
  }
}

function startedOutcome<S extends ManagedService, T>(service: S, value: (s: S) => T): Outcome<T> {
  return { kind: "ok", value: value(service), description: service.description, started: service };
}

async function startedLocally<S extends ManagedService, T>(
  start: () => Promise<S>,
  value: (s: S) => T,
  signal: AbortSignal | undefined,
): Promise<Outcome<T>> {
  try {
    return startedOutcome(await start(), value);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof ServiceUnavailableError)
      return { kind: "skip", problem: error.problem, fix: error.fix };
    throw error;
  }
}

function toS3Connection(s: S3Connection): S3Connection {
  return {
    endpoint: s.endpoint,
    region: s.region,
    credentials: s.credentials,
    bucket: s.bucket,
    forcePathStyle: s.forcePathStyle,
  };
}

function stopAll(services: readonly ManagedService[]): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      const results = await Promise.allSettled(services.map((s) => s.stop()));
      const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
      if (errors.length > 0) throw new AggregateError(errors, "some services did not stop cleanly");
    })();
    return stopping;
  };
}
