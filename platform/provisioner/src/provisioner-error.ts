/**
 * The closed set of codes a {@link ProvisionerError} carries. The first group is the caller's to
 * fix (a bad tenant spec, an unknown tenant); the rest are failures of the NATS side.
 */
export const ProvisionerErrorCode = {
  /** The tenant id, plan or baseline resources failed validation; `message` lists every issue. */
  TenantInvalid: "TENANT_INVALID",
  /** No record exists for the tenant: it was never provisioned or is already deprovisioned. */
  TenantNotFound: "TENANT_NOT_FOUND",
  /** The tenant is already provisioned; deprovision it first or use `updatePlan`. */
  TenantExists: "TENANT_EXISTS",
  /** The operator key directory is missing, unreadable, too widely readable or malformed. */
  OperatorKeysInvalid: "OPERATOR_KEYS_INVALID",
  /** A stored tenant record could not be read back (a corrupt state file). */
  StateInvalid: "STATE_INVALID",
  /** nats-server refused an account JWT update or deletion, or did not answer. */
  ClaimsRejected: "CLAIMS_REJECTED",
  /**
   * nats-server did not enable JetStream for the tenant's account. A standalone server reserves
   * each account's JetStream limits against its own capacity and refuses accounts that do not fit.
   */
  JetStreamUnavailable: "JETSTREAM_UNAVAILABLE",
  /** Creating or removing a tenant's streams, KV buckets or object stores failed. */
  ResourceFailed: "RESOURCE_FAILED",
  /** The tenant is placed on a dedicated server, but the provisioner has no `DedicatedServers`. */
  PlacementUnavailable: "PLACEMENT_UNAVAILABLE",
} as const;
/** One of {@link ProvisionerErrorCode}. */
export type ProvisionerErrorCode = (typeof ProvisionerErrorCode)[keyof typeof ProvisionerErrorCode];

/** The codes whose cause is the caller's input, not the platform. */
const USER_CODES: ReadonlySet<ProvisionerErrorCode> = new Set([
  ProvisionerErrorCode.TenantInvalid,
  ProvisionerErrorCode.TenantNotFound,
  ProvisionerErrorCode.TenantExists,
  ProvisionerErrorCode.OperatorKeysInvalid,
]);

/**
 * Every error the provisioner raises. Messages name the tenant, subject or file involved and
 * never contain seeds, creds or JWTs.
 *
 * @example
 * ```ts
 * try {
 *   await provisioner.deprovision("acme");
 * } catch (error) {
 *   if (error instanceof ProvisionerError && error.code === "TENANT_NOT_FOUND") return;
 *   throw error;
 * }
 * ```
 */
export class ProvisionerError extends Error {
  /** Machine-readable code, stable across releases. */
  readonly code: ProvisionerErrorCode;

  /**
   * @param code - one of {@link ProvisionerErrorCode}
   * @param message - what failed, where, and how to fix it; no secrets
   * @param options - `{ cause }`
   */
  constructor(code: ProvisionerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProvisionerError";
    this.code = code;
  }

  /** Whether the caller can fix this (bad input, missing tenant) rather than it being an outage or bug. */
  get isUserError(): boolean {
    return USER_CODES.has(this.code);
  }
}
