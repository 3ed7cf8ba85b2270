// Shared by the tests of this package; not exported from index.ts.
import type { NatsConnection } from "@nats-io/transport-node";
import { connectWithCreds } from "./creds.js";
import { TenantPlan, type TenantPlanInput } from "./tenant-spec.js";
import type { TenantRecord } from "./tenant-store.js";

/** A small plan: enough for the tests' streams, low enough to hit. */
export const TEST_PLAN = {
  maxStreams: 5,
  maxConsumers: 20,
  maxMemoryBytes: 8 * 1024 * 1024,
  maxStorageBytes: 64 * 1024 * 1024,
  maxConnections: 10,
} as const satisfies TenantPlanInput;

/** Opens connections and closes all of them in `closeAll()` (call it in `afterEach`). */
export class Connections {
  readonly #open: NatsConnection[] = [];

  /** Connects as the user in `creds`, without reconnecting (a refused connect fails at once). */
  async open(url: string, creds: string): Promise<NatsConnection> {
    const nc = await connectWithCreds(url, creds, { reconnect: false, timeoutMs: 3_000 });
    this.#open.push(nc);
    return nc;
  }

  async closeAll(): Promise<void> {
    const open = this.#open.splice(0);
    await Promise.all(open.map((nc) => (nc.isClosed() ? undefined : nc.close())));
  }
}

/**
 * Subscribes `listener` to `subject`, runs `publishElsewhere` (which must publish and flush), then
 * publishes a marker from `listener` itself, and returns the first payload `listener` receives.
 * If anything published elsewhere could reach `listener`, the server would deliver it before the
 * marker; so a result of `"marker"` proves it did not, without sleeping.
 */
export async function firstMessageAfter(
  listener: NatsConnection,
  subject: string,
  publishElsewhere: () => Promise<void>,
): Promise<string> {
  const sub = listener.subscribe(subject, { max: 1, timeout: 5_000 });
  await listener.flush();
  await publishElsewhere();
  listener.publish(subject, "marker");
  for await (const msg of sub) return msg.string();
  throw new Error(`no message on ${subject}`);
}

/** A made-up tenant record (fixed timestamps, fake keys) for store tests. */
export function tenantRecord(id: string): TenantRecord {
  const at = "2026-01-01T00:00:00.000Z";
  return {
    id,
    accountPublicKey: "AAAA",
    signingPublicKey: "ABBB",
    signingKeySeed: "SACCC",
    accountJwt: "jwt",
    plan: TenantPlan.parse(TEST_PLAN),
    integrationCount: 3,
    resources: { streams: [], kvBuckets: [], objectStores: [] },
    placement: "shared",
    serverUrl: "nats://127.0.0.1:4222",
    users: [{ publicKey: "UDDD", name: `${id}-worker`, issuedAt: at }],
    revocations: {},
    createdAt: at,
    updatedAt: at,
  };
}
