import { randomBytes } from "node:crypto";
import type { StartedTestContainer, TestContainer } from "testcontainers";
import type { WalLevel } from "./embedded-postgres.js";
import type { ManagedService } from "./managed-service.js";
import { redactUrl } from "./redact-url.js";
import type { S3Connection } from "./s3-connection.js";

/** The images the Docker origin runs. */
export const DOCKER_IMAGES = {
  /** NATS with JetStream (`-js`). */
  nats: "nats:2.10",
  /** Postgres, started with `wal_level=logical`. */
  postgres: "postgres:16",
  /** MinIO, an S3-compatible server. */
  s3: "minio/minio:latest",
} as const;

/** A container started by the Docker origin, with a URL to reach it. */
export interface DockerUrlService extends ManagedService {
  /** URL on the Docker host's mapped port. */
  readonly url: string;
}

/** A MinIO container started by the Docker origin. */
export interface DockerS3Service extends ManagedService, S3Connection {}

/** Options shared by the container starters. */
export interface StartContainerOptions {
  /** Aborts the startup; a container that started anyway is stopped. */
  signal?: AbortSignal;
}

/**
 * Starts `nats:2.10 -js` and waits until it is ready.
 *
 * @param options - abort signal
 * @returns the container's client URL and `stop()`
 * @throws Error from Testcontainers when the image cannot be pulled or the container does not start
 */
export async function startNatsContainer(options: StartContainerOptions = {}): Promise<DockerUrlService> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const container = new GenericContainer(DOCKER_IMAGES.nats)
    .withCommand(["-js"])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/));
  const started = await startContainer(container, options.signal);
  const url = `nats://${started.getHost()}:${started.getMappedPort(4222)}`;
  return containerService(started, { url, description: `${url} (Docker ${DOCKER_IMAGES.nats})` });
}

/**
 * Starts `postgres:16` with the given `wal_level` and waits until it accepts connections.
 *
 * @param options - wal level and abort signal
 * @returns the container's connection URL (with a random password) and `stop()`
 * @throws Error from Testcontainers when the image cannot be pulled or the container does not start
 */
export async function startPostgresContainer(
  options: StartContainerOptions & { walLevel?: WalLevel } = {},
): Promise<DockerUrlService> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const password = randomBytes(18).toString("base64url");
  const walLevel = options.walLevel ?? "logical";
  const container = new GenericContainer(DOCKER_IMAGES.postgres)
    .withEnvironment({ POSTGRES_USER: "postgres", POSTGRES_PASSWORD: password, POSTGRES_DB: "postgres" })
    .withCommand([
      ...["postgres", "-c", `wal_level=${walLevel}`],
      ...["-c", "max_replication_slots=10", "-c", "max_wal_senders=10", "-c", "fsync=off"],
    ])
    .withExposedPorts(5432)
    // The image's entrypoint starts Postgres twice: once to run init scripts, then for real.
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2));
  const started = await startContainer(container, options.signal);
  const url = `postgres://postgres:${password}@${started.getHost()}:${started.getMappedPort(5432)}/postgres`;
  return containerService(started, {
    url,
    description: `${redactUrl(url)} (Docker ${DOCKER_IMAGES.postgres}, wal_level=${walLevel})`,
  });
}

/**
 * Starts MinIO, waits until it is live and creates `bucket`.
 *
 * @param options - bucket and abort signal
 * @returns the S3 connection (random credentials) and `stop()`
 * @throws Error from Testcontainers or the AWS SDK when MinIO does not start or the bucket cannot be created
 */
export async function startMinioContainer(
  options: StartContainerOptions & { bucket?: string } = {},
): Promise<DockerS3Service> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const credentials = {
    accessKeyId: `vrsky${randomBytes(6).toString("hex")}`,
    secretAccessKey: randomBytes(24).toString("base64url"),
  };
  const container = new GenericContainer(DOCKER_IMAGES.s3)
    .withEnvironment({
      MINIO_ROOT_USER: credentials.accessKeyId,
      MINIO_ROOT_PASSWORD: credentials.secretAccessKey,
    })
    .withCommand(["server", "/data"])
    .withExposedPorts(9000)
    .withWaitStrategy(Wait.forHttp("/minio/health/live", 9000));
  const started = await startContainer(container, options.signal);
  const endpoint = `http://${started.getHost()}:${started.getMappedPort(9000)}`;
  const bucket = options.bucket ?? "vrsky";
  const connection: S3Connection = {
    endpoint,
    region: "us-east-1",
    credentials,
    bucket,
    forcePathStyle: true,
  };
  try {
    const { CreateBucketCommand, S3Client } = await import("@aws-sdk/client-s3");
    const client = new S3Client(connection);
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }), { abortSignal: options.signal });
    } finally {
      client.destroy();
    }
  } catch (error) {
    await started.stop();
    throw error;
  }
  return {
    ...connection,
    ...containerService(started, {
      description: `${endpoint} bucket ${bucket} (Docker ${DOCKER_IMAGES.s3})`,
    }),
  };
}

async function startContainer(
  container: TestContainer,
  signal: AbortSignal | undefined,
): Promise<StartedTestContainer> {
  signal?.throwIfAborted();
  // Testcontainers cannot cancel a start; on abort the container is stopped once it is up.
  const started = await container.start();
  if (signal?.aborted) {
    await started.stop();
    throw signal.reason;
  }
  return started;
}

function containerService<T extends { description: string }>(
  started: StartedTestContainer,
  fields: T,
): T & ManagedService {
  let stopped: Promise<void> | undefined;
  return {
    ...fields,
    stop() {
      stopped ??= started.stop().then(() => undefined);
      return stopped;
    },
  };
}
