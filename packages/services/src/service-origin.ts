/**
 * Where a resolved service comes from, in the resolver's default order of preference.
 *
 * @example
 * ```ts
 * await resolveServices({ nats: true }, { prefer: ServiceOrigin.Local });
 * ```
 */
export const ServiceOrigin = {
  /** An explicit URL from the environment (`VRSKY_NATS_URL`, …); nothing is started. */
  Url: "url",
  /** A container started through Testcontainers on a running Docker engine. */
  Docker: "docker",
  /** A private process started from a local binary (`nats-server`, embedded Postgres, s3rver). */
  Local: "local",
} as const;

/** One of the {@link ServiceOrigin} values. */
export type ServiceOrigin = (typeof ServiceOrigin)[keyof typeof ServiceOrigin];

/** The order the resolver tries the origins in when no `prefer` is given. */
export const DEFAULT_ORIGIN_ORDER: readonly ServiceOrigin[] = [
  ServiceOrigin.Url,
  ServiceOrigin.Docker,
  ServiceOrigin.Local,
];
