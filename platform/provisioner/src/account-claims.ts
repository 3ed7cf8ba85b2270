import type { Account, RevocationList } from "@nats-io/jwt";
import { UNLIMITED_NATS_LIMITS } from "./operator-keys.js";
import type { TenantPlan } from "./tenant-spec.js";

/**
 * The account JWT claims for a tenant: core NATS limits and account-level JetStream limits from
 * the plan, the account signing key that issues its users, and the revoked users.
 *
 * @param plan - the tenant's plan
 * @param signingKey - the account signing key's public key (`A…`)
 * @param revocations - user public key (or `*` for all) → unix seconds; users issued at or before are rejected
 * @returns claims for `OperatorKeys.encodeAccount`
 */
export function tenantAccountClaims(
  plan: TenantPlan,
  signingKey: string,
  revocations: RevocationList = {},
): Partial<Account> {
  return {
    limits: {
      ...UNLIMITED_NATS_LIMITS,
      conn: plan.maxConnections,
      subs: plan.maxSubscriptions,
      payload: plan.maxPayloadBytes,
      mem_storage: plan.maxMemoryBytes,
      disk_storage: plan.maxStorageBytes,
      streams: plan.maxStreams,
      consumer: plan.maxConsumers,
      max_ack_pending: plan.maxAckPending,
      max_bytes_required: plan.maxBytesRequired,
      mem_max_stream_bytes: -1,
      disk_max_stream_bytes: -1,
    },
    signing_keys: [signingKey],
    ...(Object.keys(revocations).length === 0 ? {} : { revocations }),
  };
}
