import { z } from "zod";
import { PlacementKind } from "./placement.js";
import { BaselineResources, TenantId, TenantPlan } from "./tenant-spec.js";

/** A user issued for a tenant's account. */
export const TenantUser = z.object({
  /** The user's public key (`U…`). */
  publicKey: z.string().startsWith("U"),
  /** The user's name in its JWT, e.g. `acme-worker`. */
  name: z.string(),
  /** When the user JWT was issued (ISO 8601). */
  issuedAt: z.iso.datetime(),
});
/** A user issued for a tenant's account. */
export type TenantUser = z.infer<typeof TenantUser>;

/**
 * What the provisioner keeps per tenant. `signingKeySeed` is the one secret: it issues the
 * account's users. Store it encrypted at rest (the control plane keeps it in Postgres); never log a
 * record. The account's identity seed is not kept at all: the operator signs the account JWT, so
 * only its public key is needed afterwards.
 */
export const TenantRecord = z.object({
  /** The tenant id, also the account name. */
  id: TenantId,
  /** The account's public key (`A…`), its identity on every server. */
  accountPublicKey: z.string().startsWith("A"),
  /** The account signing key's public key (`A…`), listed in the account JWT. */
  signingPublicKey: z.string().startsWith("A"),
  /** The account signing key's seed (`SA…`). Secret. */
  signingKeySeed: z.string().startsWith("SA"),
  /** The current account JWT (public), as last pushed. */
  accountJwt: z.string(),
  /** The plan the account JWT enforces. */
  plan: TenantPlan,
  /** Integration count at the last placement decision. */
  integrationCount: z.number().int().min(0),
  /** The baseline resources, recreated when the tenant moves to another server. */
  resources: BaselineResources,
  /** Where the account lives. */
  placement: PlacementKind,
  /** The client URL of the server holding the account. */
  serverUrl: z.string(),
  /** Users issued and not revoked. */
  users: z.array(TenantUser),
  /** Revoked user keys (or `*`) → unix seconds, carried into every account JWT. */
  revocations: z.record(z.string(), z.number().int()),
  /** ISO 8601. */
  createdAt: z.iso.datetime(),
  /** ISO 8601. */
  updatedAt: z.iso.datetime(),
});
/** What the provisioner keeps per tenant. */
export type TenantRecord = z.infer<typeof TenantRecord>;

/**
 * Where the provisioner keeps {@link TenantRecord}s. Implementations must return copies, so a
 * caller mutating a record does not change the store. {@link MemoryTenantStore} and
 * `JsonFileTenantStore` ship here; the control plane implements it over Postgres.
 */
export interface TenantStore {
  /** The record of `tenantId`, or `undefined`. */
  get(tenantId: string): Promise<TenantRecord | undefined>;
  /** Creates or replaces the record of `record.id`. */
  put(record: TenantRecord): Promise<void>;
  /** Removes the record; does nothing when it is absent. */
  delete(tenantId: string): Promise<void>;
  /** Every record, in no particular order. */
  list(): Promise<TenantRecord[]>;
}

/**
 * A {@link TenantStore} in memory: for tests and single-process dev.
 *
 * @example
 * ```ts
 * const provisioner = new Provisioner({ operator, shared: nats, store: new MemoryTenantStore() });
 * ```
 */
export class MemoryTenantStore implements TenantStore {
  readonly #records = new Map<string, TenantRecord>();

  async get(tenantId: string): Promise<TenantRecord | undefined> {
    const record = this.#records.get(tenantId);
    return record === undefined ? undefined : structuredClone(record);
  }

  async put(record: TenantRecord): Promise<void> {
    this.#records.set(record.id, structuredClone(record));
  }

  async delete(tenantId: string): Promise<void> {
    this.#records.delete(tenantId);
  }

  async list(): Promise<TenantRecord[]> {
    return [...this.#records.values()].map((record) => structuredClone(record));
  }
}
