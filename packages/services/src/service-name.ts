/**
 * The services the resolver provides.
 *
 * @example
 * ```ts
 * if (error.service === ServiceName.Postgres) console.error("set VRSKY_POSTGRES_URL");
 * ```
 */
export const ServiceName = {
  /** NATS with JetStream: the message backbone. */
  Nats: "nats",
  /** Postgres: CDC sources and sinks. */
  Postgres: "postgres",
  /** An S3-compatible object store: claim-check blobs and S3 connectors. */
  S3: "s3",
} as const;

/** One of the {@link ServiceName} values. */
export type ServiceName = (typeof ServiceName)[keyof typeof ServiceName];
