import { join } from "node:path";
import type { TenantConnection } from "@vrsky/platform-orchestrator";
import {
  createOperator,
  JsonFileTenantStore,
  type OperatorNats,
  Provisioner,
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
  /** The server's client URL. */
  readonly url: string;
  /** Credentials for a tenant's workers: provisions its account on first use. */
  connection(tenantId: string, plan: string): Promise<TenantConnection>;
  /** Deprovisions every account whose tenant is not in `existing`. */
  sweep(existing: ReadonlySet<string>): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Starts an operator-mode nats-server under `dir` (operator keys, account JWTs and JetStream
 * data persist there, so a restart finds every tenant again) and a provisioner on it.
 */
export async function startTenantAccounts(dir: string, logger: Logger): Promise<TenantAccounts> {
  const operator = await createOperator({ dir: join(dir, "operator") });
  const nats: OperatorNats = await startOperatorNats({ operator, dir: join(dir, "nats") });
  const store = new JsonFileTenantStore(join(dir, "tenants.json"));
  const provisioner = new Provisioner({ operator, shared: nats, store, logger });
  return {
    url: nats.url,
    async connection(tenantId, plan) {
      const limits = NATS_PLANS[plan] ?? NATS_PLANS.free;
      const known = await provisioner.tenant(tenantId);
      // A worker (re)starting gets fresh credentials; the previous ones are revoked.
      const tenant = known
        ? await provisioner.rotateUserCreds(tenantId)
        : await provisioner.provision({ id: tenantId, plan: limits as TenantPlanInput });
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
    async stop() {
      await provisioner.close();
      await nats.stop();
    },
  };
}
