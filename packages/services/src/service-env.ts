import { redactUrl } from "./redact-url.js";
import { bucketNameProblem, type S3Connection } from "./s3-connection.js";

/**
 * The environment variables that point VRSky at existing services. When set, they win over
 * Docker and local binaries.
 *
 * @example
 * ```sh
 * VRSKY_NATS_URL=nats://127.0.0.1:4222 VRSKY_POSTGRES_URL=postgres://app:pw@127.0.0.1:5432/app vrsky dev
 * ```
 */
export const ServiceEnv = {
  /** NATS server URL, or a comma-separated list; JetStream must be enabled. */
  NatsUrl: "VRSKY_NATS_URL",
  /** Postgres connection URL (`postgres://user:password@host:5432/db`). */
  PostgresUrl: "VRSKY_POSTGRES_URL",
  /** S3 endpoint URL (`http://127.0.0.1:9000`); set the keys too. */
  S3Endpoint: "VRSKY_S3_ENDPOINT",
  /** S3 access key id. @default AWS_ACCESS_KEY_ID */
  S3AccessKey: "VRSKY_S3_ACCESS_KEY",
  /** S3 secret access key. @default AWS_SECRET_ACCESS_KEY */
  S3SecretKey: "VRSKY_S3_SECRET_KEY",
  /** S3 region. @default AWS_REGION, then "us-east-1" */
  S3Region: "VRSKY_S3_REGION",
  /** S3 bucket, which must exist. @default "vrsky" */
  S3Bucket: "VRSKY_S3_BUCKET",
  /** `false` for virtual-hosted-style addressing (AWS itself). @default "true" */
  S3ForcePathStyle: "VRSKY_S3_FORCE_PATH_STYLE",
} as const;

/** One of the {@link ServiceEnv} values. */
export type ServiceEnv = (typeof ServiceEnv)[keyof typeof ServiceEnv];

/** What the environment says about one service. */
export type ExplicitService<T> =
  | {
      /** The variable is not set: try the next origin. */
      status: "unset";
    }
  | {
      /** The variable is set and well-formed. */
      status: "set";
      /** The connection. */
      value: T;
      /** A secret-free description, e.g. the redacted URL. */
      description: string;
    }
  | {
      /** The variable is set but unusable; the user must fix or unset it. */
      status: "invalid";
      /** What is wrong, naming the variable; secret-free. */
      problem: string;
    };

/**
 * Reads `VRSKY_NATS_URL`.
 *
 * @param env - the environment
 * @returns the URL (or server list), unset, or what is wrong with it
 */
export function readNatsUrl(env: NodeJS.ProcessEnv): ExplicitService<string> {
  const raw = env[ServiceEnv.NatsUrl]?.trim();
  if (raw === undefined || raw === "") return { status: "unset" };
  for (const server of raw.split(",")) {
    const withScheme = server.includes("://") ? server.trim() : `nats://${server.trim()}`;
    if (!URL.canParse(withScheme) || new URL(withScheme).hostname === "") {
      return {
        status: "invalid",
        problem: `${ServiceEnv.NatsUrl} has "${redactUrl(server.trim())}", which is not a NATS URL like nats://host:4222`,
      };
    }
  }
  return { status: "set", value: raw, description: redactUrl(raw) };
}

/**
 * Reads `VRSKY_POSTGRES_URL`.
 *
 * @param env - the environment
 * @returns the URL, unset, or what is wrong with it
 */
export function readPostgresUrl(env: NodeJS.ProcessEnv): ExplicitService<string> {
  const raw = env[ServiceEnv.PostgresUrl]?.trim();
  if (raw === undefined || raw === "") return { status: "unset" };
  const parsed = URL.canParse(raw) ? new URL(raw) : undefined;
  if (parsed === undefined || !["postgres:", "postgresql:"].includes(parsed.protocol)) {
    return {
      status: "invalid",
      problem: `${ServiceEnv.PostgresUrl} is "${redactUrl(raw)}", which is not a URL like postgres://user:password@host:5432/db`,
    };
  }
  return { status: "set", value: raw, description: redactUrl(raw) };
}

/**
 * Reads `VRSKY_S3_ENDPOINT` and its companions (keys fall back to `AWS_ACCESS_KEY_ID` /
 * `AWS_SECRET_ACCESS_KEY`, the region to `AWS_REGION`).
 *
 * @param env - the environment
 * @param bucket - the bucket to use when `VRSKY_S3_BUCKET` is unset @default "vrsky"
 * @returns the connection, unset, or everything that is wrong with it
 */
export function readS3Connection(env: NodeJS.ProcessEnv, bucket = "vrsky"): ExplicitService<S3Connection> {
  const endpoint = env[ServiceEnv.S3Endpoint]?.trim();
  if (endpoint === undefined || endpoint === "") return { status: "unset" };
  const problems: string[] = [];
  if (!URL.canParse(endpoint) || !["http:", "https:"].includes(new URL(endpoint).protocol)) {
    problems.push(`${ServiceEnv.S3Endpoint} is "${redactUrl(endpoint)}", not an http(s) URL`);
  }
  const accessKeyId = env[ServiceEnv.S3AccessKey] ?? env.AWS_ACCESS_KEY_ID ?? "";
  const secretAccessKey = env[ServiceEnv.S3SecretKey] ?? env.AWS_SECRET_ACCESS_KEY ?? "";
  if (accessKeyId === "") problems.push(`${ServiceEnv.S3AccessKey} is not set`);
  if (secretAccessKey === "") problems.push(`${ServiceEnv.S3SecretKey} is not set`);
  const chosenBucket = env[ServiceEnv.S3Bucket] ?? bucket;
  const bucketProblem = bucketNameProblem(chosenBucket);
  if (bucketProblem !== undefined) problems.push(`${ServiceEnv.S3Bucket}: ${bucketProblem}`);
  if (problems.length > 0) {
    return { status: "invalid", problem: `${ServiceEnv.S3Endpoint} is set but ${problems.join("; ")}` };
  }
  const value: S3Connection = {
    endpoint,
    region: env[ServiceEnv.S3Region] ?? env.AWS_REGION ?? "us-east-1",
    credentials: { accessKeyId, secretAccessKey },
    bucket: chosenBucket,
    forcePathStyle: env[ServiceEnv.S3ForcePathStyle]?.toLowerCase() !== "false",
  };
  return { status: "set", value, description: `${redactUrl(endpoint)} bucket ${chosenBucket}` };
}
