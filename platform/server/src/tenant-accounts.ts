import { join } from "node:path";
import type { TenantConnection } from "@vrsky/platform-orchestrator";
import {
  createOperator,
  JsonFileTenantStore,
  LocalDedicatedServers,
  type OperatorNats,
  Placement,
  type PlacementKind,
  Provisioner,
  type RelocateResult,
  startOperatorNats,
  type TenantPlanInput,
} from "@vrsky/platform-provisioner";
import type { Logger } from "pino";

const MIB = 1024 * 1024;

/**
 * NATS limits of each control-plane plan. Every integration needs eight streams (ingress, sink
 * queues, DLQ, five KV/object buckets) and a consumer per stage; a single server reserves each
 * account's storage limit up front, so the limits stay modest.
 */
export const NATS_PLANS: Readonly<Record<string, TenantPlanInput>> = {
  free: {
    maxStreams: 60,
    maxConsumers: 200,
    maxMemoryBytes: 16 * MIB,
    maxStorageBytes: 256 * MIB,
    maxConnections: 20,
  },
  team: {
    maxStreams: 500,
    maxConsumers: 2000,
    maxMemoryBytes: 64 * MIB,
    maxStorageBytes: 1024 * MIB,
    maxConnections: 200,
  },
  enterprise: {
    maxStreams: 5000,
    maxConsumers: 20_000,
    maxMemoryBytes: 256 * MIB,
    maxStorageBytes: 8192 * MIB,
    maxConnections: 2000,
  },
};

/** Tenants as NATS accounts on an operator-mode server this process runs. */
export interface TenantAccounts {
  /** The shared server's client URL. */
  readonly url: string;
  /**
   * Credentials for a tenant's workers: provisions its account on first use (on a dedicated
   * server when it already has more integrations than the threshold), else rotates them.
   */
  connection(tenantId: string, plan: string, integrationCount: number): Promise<TenantConnection>;
  /** Deprovisions every account whose tenant is not in `existing`. */
  sweep(existing: ReadonlySet<string>): Promise<string[]>;
  /**
   * The tenants whose placement no longer fits their integration count, and where each should go.
   * @param counts - integrations per tenant; a tenant missing here has none
   */
  misplaced(
    counts: ReadonlyMap<string, number>,
  ): Promise<{ tenantId: string; count: number; to: PlacementKind }[]>;
  /** Moves a tenant's account and streams (see `Provisioner.relocate`); stop its workers first. */
  relocate(tenantId: string, count: number): Promise<RelocateResult>;
  stop(): Promise<void>;
}

/** Options of {@link startTenantAccounts}. */
export interface TenantAccountsOptions {
  /** Operator keys, the shared server's config and JetStream, tenant records, dedicated servers. */
  dir: string;
  /** Integrations above which a tenant gets its own nats-server. @default 50 */
  dedicatedThreshold?: number;
  logger: Logger;
}

/**
 * Starts an operator-mode nats-server under `dir` (operator keys, account JWTs and JetStream
 * data persist there, so a restart finds every tenant again) and a provisioner on it, with one
 * more nats-server per tenant over the dedicated threshold (`dir/dedicated/<tenant>`).
 */
export async function startTenantAccounts(options: TenantAccountsOptions): Promise<TenantAccounts> {
  const { dir, logger } = options;
  const operator = await createOperator({ dir: join(dir, "operator") });
  const nats: OperatorNats = await startOperatorNats({ operator, dir: join(dir, "nats") });
  const store = new JsonFileTenantStore(join(dir, "tenants.json"));
  const dedicated = new LocalDedicatedServers({ operator, dir: join(dir, "dedicated") });
  const provisioner = new Provisioner({
    operator,
    shared: nats,
    store,
    dedicated,
    placement: new Placement(
      options.dedicatedThreshold === undefined ? {} : { dedicatedThreshold: options.dedicatedThreshold },
    ),
    logger,
  });
  return {
    url: nats.url,
    async connection(tenantId, plan, integrationCount) {
      const limits = NATS_PLANS[plan] ?? NATS_PLANS.free;
      const known = await provisioner.tenant(tenantId);
      // A worker (re)starting gets fresh credentials; the previous ones are revoked.
      const tenant = known
        ? await provisioner.rotateUserCreds(tenantId)
        : await provisioner.provision({ id: tenantId, plan: limits as TenantPlanInput, integrationCount });
      return { url: tenant.url, creds: tenant.creds };
    },
    async sweep(existing) {
      const removed: string[] = [];
      for (const { id } of await store.list()) {
        if (existing.has(id)) continue;
        await provisioner.deprovision(id);
        removed.push(id);
      }
      return removed;
    },
    async misplaced(counts) {
      const moves: { tenantId: string; count: number; to: PlacementKind }[] = [];
      for (const record of await store.list()) {
        const count = counts.get(record.id) ?? 0;
        const to = await provisioner.placementFor(record.id, count);
        if (to !== undefined && to !== record.placement) moves.push({ tenantId: record.id, count, to });
      }
      return moves;
    },
    relocate: (tenantId, count) => provisioner.relocate(tenantId, count),
    async stop() {
      await provisioner.close();
      await dedicated.close();
      await nats.stop();
    },
  };
}
