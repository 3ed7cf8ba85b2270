import { encodeUser } from "@nats-io/jwt";
import { createAccount, createUser, type KeyPair } from "@nats-io/nkeys";
import type { NatsConnection } from "@nats-io/transport-node";
import { type Logger, pino } from "pino";
import { tenantAccountClaims } from "./account-claims.js";
import {
  deleteAccounts,
  type JetStreamCapacity,
  jetStreamCapacity,
  pushAccountJwt,
} from "./account-resolver.js";
import { connectWithCreds, formatCreds } from "./creds.js";
import type { DedicatedServers, NatsEndpoint } from "./dedicated-servers.js";
import { nativeKeyPair } from "./native-key-pair.js";
import type { OperatorKeys } from "./operator-keys.js";
import { Placement, type PlacementKind } from "./placement.js";
import { ProvisionerError } from "./provisioner-error.js";
import { type CopiedStreams, copyTenantStreams } from "./stream-copy.js";
import {
  createTenantResources,
  openJetStream,
  type RemovedResources,
  removeTenantResources,
} from "./tenant-resources.js";
import {
  parseTenantInput,
  TenantId,
  TenantPlan,
  type TenantPlanInput,
  TenantSpec,
  type TenantSpecInput,
  UNLIMITED,
} from "./tenant-spec.js";
import { MemoryTenantStore, type TenantRecord, type TenantStore } from "./tenant-store.js";

/** Options of {@link Provisioner}. */
export interface ProvisionerOptions {
  /** The operator every server trusts; it signs the tenant accounts. */
  operator: OperatorKeys;
  /** The shared server (its URL and system creds); a running `OperatorNats` fits. */
  shared: NatsEndpoint;
  /** Where tenant records live. @default a new {@link MemoryTenantStore} */
  store?: TenantStore;
  /**
   * Dedicated servers for tenants over the placement threshold.
   * @default none: every tenant goes to the shared server
   */
  dedicated?: DedicatedServers;
  /** Decides shared or dedicated; only consulted when `dedicated` is set. @default new Placement() */
  placement?: Placement;
  /** Receives one line per change (tenant, account public key, placement); never creds or seeds. @default silent */
  logger?: Logger;
  /** Timeout of each request to a server's resolver. @default 5000 */
  requestTimeoutMs?: number;
}

/** A provisioned tenant and its worker credentials. */
export interface ProvisionedTenant {
  /** The tenant id, also the account name. */
  tenantId: string;
  /** The account's public key (`A…`). */
  accountPublicKey: string;
  /** Where the account lives. */
  placement: PlacementKind;
  /** The URL the tenant's workers connect to. */
  url: string;
  /** The worker user's public key (`U…`). */
  userPublicKey: string;
  /** The worker user's `.creds` text (JWT + seed). Secret: hand it to the tenant's workers only. */
  creds: string;
}

/** A tenant record without its signing seed: safe to log and return from an API. */
export type TenantInfo = Omit<TenantRecord, "signingKeySeed">;

/** One move of a tenant's account between servers. */
export interface TenantMove extends CopiedStreams {
  /** Where it was. */
  from: PlacementKind;
  /** Where it is now. */
  to: PlacementKind;
  /** How long the move took, copy included. */
  durationMs: number;
}

/** What {@link Provisioner.relocate} returns: the record, and the move when there was one. */
export type RelocateResult = TenantInfo & { moved?: TenantMove };

/** What {@link Provisioner.deprovision} removed. */
export interface DeprovisionResult extends RemovedResources {
  /** The tenant id. */
  tenantId: string;
  /** The deleted account's public key. */
  accountPublicKey: string;
  /** How many issued users were revoked. */
  usersRevoked: number;
}

/** How long the provisioner's own per-operation users live: long enough for one operation. */
const ADMIN_USER_TTL_S = 300;
/** Users that copy a moving tenant's streams live longer: a copy of gigabytes takes a while. */
const COPY_USER_TTL_S = 6 * 3600;
const decoder = new TextDecoder();

/**
 * Turns tenants into NATS accounts on operator-mode servers: one account per tenant, with its
 * plan's limits in the account JWT, a worker user, and optional baseline JetStream resources.
 * Accounts are separate subject namespaces, so tenants cannot see each other's messages or
 * streams; nats-server enforces it.
 *
 * Operations on one tenant run one at a time; different tenants proceed in parallel.
 *
 * @example
 * ```ts
 * const operator = await createOperator({ dir: "/var/lib/vrsky/operator" });
 * const nats = await startOperatorNats({ operator });
 * const provisioner = new Provisioner({ operator, shared: nats, store: new JsonFileTenantStore("tenants.json") });
 * const acme = await provisioner.provision({
 *   id: "acme",
 *   plan: { maxStreams: 10, maxConsumers: 50, maxMemoryBytes: 64 << 20, maxStorageBytes: 1 << 30, maxConnections: 20 },
 *   resources: { streams: [{ name: "INBOX", subjects: ["int.*.in"] }] },
 * });
 * const nc = await connectWithCreds(acme.url, acme.creds);
 * ```
 */
export class Provisioner {
  readonly #operator: OperatorKeys;
  readonly #shared: NatsEndpoint;
  readonly #store: TenantStore;
  readonly #dedicated: DedicatedServers | undefined;
  readonly #placement: Placement;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #systemConnections = new Map<string, Promise<NatsConnection>>();
  readonly #locks = new Map<string, Promise<unknown>>();

  /** @param options - operator, servers, store, placement, logger */
  constructor(options: ProvisionerOptions) {
    this.#operator = options.operator;
    this.#shared = options.shared;
    this.#store = options.store ?? new MemoryTenantStore();
    this.#dedicated = options.dedicated;
    this.#placement = options.placement ?? new Placement();
    this.#log = options.logger ?? pino({ level: "silent" });
    this.#timeoutMs = options.requestTimeoutMs ?? 5_000;
  }

  /**
   * Creates the tenant's account (limits from its plan) on the server placement picks, creates
   * its baseline resources, and issues a worker user. All or nothing: when a step fails, what
   * was created is removed again before the error is thrown.
   *
   * @param tenant - id, plan, integration count, baseline resources
   * @returns the account, URL and worker creds
   * @throws ProvisionerError `TENANT_INVALID` (every issue listed), `TENANT_EXISTS`,
   *   `JETSTREAM_UNAVAILABLE` (the plan does not fit the server), `CLAIMS_REJECTED`, `RESOURCE_FAILED`
   * @throws ServiceUnavailableError when a dedicated server does not start
   */
  async provision(tenant: TenantSpecInput): Promise<ProvisionedTenant> {
    const spec = parseTenantInput(TenantSpec, tenant, `tenant ${JSON.stringify(tenant.id)}`);
    return this.#exclusive(spec.id, async () => {
      if ((await this.#store.get(spec.id)) !== undefined) {
        throw new ProvisionerError(
          "TENANT_EXISTS",
          `tenant "${spec.id}" is already provisioned; deprovision it first, or use updatePlan/relocate to change it`,
        );
      }
      const placement = this.#decide(spec.integrationCount);
      const endpoint = await this.#endpoint(spec.id, placement);
      const account = nativeKeyPair(createAccount().getSeed());
      const signingKey = nativeKeyPair(createAccount().getSeed());
      const now = new Date().toISOString();
      const record: TenantRecord = {
        id: spec.id,
        accountPublicKey: account.getPublicKey(),
        signingPublicKey: signingKey.getPublicKey(),
        signingKeySeed: decoder.decode(signingKey.getSeed()),
        accountJwt: "",
        plan: spec.plan,
        integrationCount: spec.integrationCount,
        resources: spec.resources,
        placement,
        serverUrl: endpoint.url,
        users: [],
        revocations: {},
        createdAt: now,
        updatedAt: now,
      };
      // The operator signs the account JWT, so the account's own seed is never needed again.
      account.clear();
      let pushed = false;
      try {
        await this.#admit(record, spec.plan, endpoint);
        await this.#pushAccount(record, endpoint);
        pushed = true;
        await this.#store.put(record);
        await this.#prepareAccount(record, endpoint);
        const worker = await this.#issueWorker(record);
        await this.#store.put(record);
        this.#log.info(
          { tenantId: spec.id, account: record.accountPublicKey, placement, url: endpoint.url },
          "tenant provisioned",
        );
        return { ...this.#provisioned(record), ...worker };
      } catch (error) {
        await this.#undoProvision(record, endpoint, pushed);
        throw error;
      }
    });
  }

  /**
   * Removes a tenant: deletes every stream, KV bucket and object store in its account, revokes
   * its users, deletes the account from the server's resolver (its creds then fail with
   * `Authorization Violation`), releases a dedicated server, and drops the record.
   *
   * @param tenantId - the tenant
   * @returns what was removed
   * @throws ProvisionerError `TENANT_NOT_FOUND`, `CLAIMS_REJECTED`, `RESOURCE_FAILED`
   */
  async deprovision(tenantId: string): Promise<DeprovisionResult> {
    return this.#exclusive(tenantId, async () => {
      const record = await this.#require(tenantId);
      const endpoint = await this.#endpointOf(record);
      const removed = await this.#teardown(record, endpoint);
      await this.#store.delete(tenantId);
      this.#log.info({ tenantId, account: record.accountPublicKey, ...removed }, "tenant deprovisioned");
      return {
        tenantId,
        accountPublicKey: record.accountPublicKey,
        usersRevoked: record.users.length,
        ...removed,
      };
    });
  }

  /**
   * Issues a new worker user and revokes the previous ones: their connections are closed and
   * their creds refused from now on.
   *
   * @param tenantId - the tenant
   * @returns the new worker creds
   * @throws ProvisionerError `TENANT_NOT_FOUND`, `CLAIMS_REJECTED`
   */
  async rotateUserCreds(tenantId: string): Promise<ProvisionedTenant> {
    return this.#exclusive(tenantId, async () => {
      const record = await this.#require(tenantId);
      const endpoint = await this.#endpointOf(record);
      const previous = [...record.users];
      const worker = await this.#issueWorker(record);
      record.users = record.users.filter((user) => user.publicKey === worker.userPublicKey);
      const revokedAt = unixSeconds();
      for (const user of previous) record.revocations[user.publicKey] = revokedAt;
      await this.#pushAccount(record, endpoint);
      await this.#store.put(record);
      this.#log.info({ tenantId, revoked: previous.length }, "tenant worker creds rotated");
      return { ...this.#provisioned(record), ...worker };
    });
  }

  /**
   * Applies a new plan: the account JWT is re-issued with its limits and takes effect at once.
   * Lowering a limit below current use does not delete anything; new streams or connections are
   * refused until use drops.
   *
   * @param tenantId - the tenant
   * @param plan - the new plan
   * @returns the updated record (without secrets)
   * @throws ProvisionerError `TENANT_INVALID`, `TENANT_NOT_FOUND`, `JETSTREAM_UNAVAILABLE`, `CLAIMS_REJECTED`
   */
  async updatePlan(tenantId: string, plan: TenantPlanInput): Promise<TenantInfo> {
    const parsed = parseTenantInput(TenantPlan, plan, `plan of tenant "${tenantId}"`);
    return this.#exclusive(tenantId, async () => {
      const record = await this.#require(tenantId);
      const endpoint = await this.#endpointOf(record);
      await this.#admit(record, parsed, endpoint);
      record.plan = parsed;
      await this.#pushAccount(record, endpoint);
      await this.#store.put(record);
      this.#log.info({ tenantId }, "tenant plan updated");
      return publicInfo(record);
    });
  }

  /**
   * Records a tenant's new integration count and moves its account when placement now says
   * otherwise (see {@link Placement.decide}: a dedicated tenant returns only at or below the
   * shared threshold). The account and baseline resources are created on the target server,
   * every stream of the account — work-queue backlogs, dead letters, KV buckets, object stores —
   * is copied there with its messages ({@link copyTenantStreams}), and only then is everything
   * removed from the old server. Creds stay valid (every server trusts the same operator);
   * workers reconnect to the returned `serverUrl`.
   *
   * Stop the tenant's workers first and start them again afterwards (the orchestrator's
   * `moveTenant` does both): what a running worker publishes or acknowledges on the old server
   * during the copy would be missed or delivered again. When a step fails, the tenant stays
   * where it was, with everything it had; calling `relocate` again starts the copy afresh.
   *
   * @param tenantId - the tenant
   * @param integrationCount - its current number of integrations
   * @returns the updated record (without secrets), and what was moved when it moved
   * @throws ProvisionerError `TENANT_NOT_FOUND`, `JETSTREAM_UNAVAILABLE`, `PLACEMENT_UNAVAILABLE`,
   *   `CLAIMS_REJECTED`, `RESOURCE_FAILED`
   */
  async relocate(tenantId: string, integrationCount: number): Promise<RelocateResult> {
    const count = parseTenantInput(
      TenantSpec.shape.integrationCount,
      integrationCount,
      `integration count of tenant "${tenantId}"`,
    );
    return this.#exclusive(tenantId, async () => {
      const record = await this.#require(tenantId);
      record.integrationCount = count;
      const target = this.#decide(count, record.placement);
      let moved: TenantMove | undefined;
      if (target !== record.placement) {
        const started = performance.now();
        const from = await this.#endpointOf(record);
        const to = await this.#endpoint(tenantId, target);
        const copied = await this.#copyTo(record, from, to, target);
        moved = {
          from: record.placement,
          to: target,
          ...copied,
          durationMs: Math.round(performance.now() - started),
        };
        // From here the tenant lives on the target: the record says so before the old server is
        // cleaned up, so a failure below can never send the workers back to an emptied account.
        const old = { ...record };
        record.placement = target;
        record.serverUrl = to.url;
        record.updatedAt = new Date().toISOString();
        await this.#store.put(record);
        this.#log.info({ tenantId, url: to.url, ...moved }, "tenant relocated");
        await this.#removeFrom(old, from).catch((error: unknown) => {
          this.#log.warn(
            { tenantId, url: from.url, err: describe(error) },
            "tenant moved, but its old account could not be removed; it holds copies only",
          );
        });
      }
      record.updatedAt = new Date().toISOString();
      await this.#store.put(record);
      return moved === undefined ? publicInfo(record) : { ...publicInfo(record), moved };
    });
  }

  /**
   * Creates the account on `to` and copies every stream there. On failure the target is
   * cleaned up (best effort) and the error thrown: the tenant is still whole where it was.
   */
  async #copyTo(
    record: TenantRecord,
    from: NatsEndpoint,
    to: NatsEndpoint,
    target: PlacementKind,
  ): Promise<CopiedStreams> {
    const onTarget = { ...record, serverUrl: to.url };
    try {
      await this.#admit(record, record.plan, to);
      await this.#pushAccount(record, to);
      await this.#prepareAccount(record, to);
      // Workers still connected to the old server may use up maxConnections; one more lets
      // the provisioner in to copy and clean up.
      await this.#pushAccount(record, from, { connectionHeadroom: 1 });
      const { plan } = record;
      if (plan.maxMemoryBytes === 0 && plan.maxStorageBytes === 0)
        return { streams: 0, messages: 0, bytes: 0 };
      return await this.#asTenant(
        record,
        (source) =>
          this.#asTenant(onTarget, (dest) => copyTenantStreams(source, dest, record.id), COPY_USER_TTL_S),
        COPY_USER_TTL_S,
      );
    } catch (error) {
      await this.#asTenant(onTarget, (nc) => removeTenantResources(nc, record.id))
        .then(() => this.#deleteAccount(record, to))
        .then(() => (target === "dedicated" ? this.#releaseDedicated(record.id, to) : undefined))
        .catch((cleanup: unknown) => {
          this.#log.warn(
            { tenantId: record.id, url: to.url, err: describe(cleanup) },
            "could not remove a failed move's copy from the target; the next move replaces it",
          );
        });
      throw error;
    }
  }

  /** Removes a moved tenant's resources and account from its old server. */
  async #removeFrom(old: TenantRecord, from: NatsEndpoint): Promise<void> {
    await this.#asTenant(old, (nc) => removeTenantResources(nc, old.id));
    await this.#deleteAccount(old, from);
    if (old.placement === "dedicated") await this.#releaseDedicated(old.id, from);
  }

  /**
   * Where `tenantId` would be placed with `integrationCount` integrations, without moving it.
   * @returns the placement, or `undefined` when the tenant is not provisioned
   */
  async placementFor(tenantId: string, integrationCount: number): Promise<PlacementKind | undefined> {
    const record = await this.#store.get(tenantId);
    return record === undefined ? undefined : this.#decide(integrationCount, record.placement);
  }

  /**
   * @param tenantId - the tenant
   * @returns its record without the signing seed, or `undefined` when not provisioned
   */
  async tenant(tenantId: string): Promise<TenantInfo | undefined> {
    const record = await this.#store.get(tenantId);
    return record === undefined ? undefined : publicInfo(record);
  }

  /** Closes the provisioner's system connections. Servers and the store stay as they are. */
  async close(): Promise<void> {
    const connections = [...this.#systemConnections.values()];
    this.#systemConnections.clear();
    await Promise.all(connections.map(async (nc) => (await nc.catch(() => undefined))?.close()));
  }

  #decide(integrationCount: number, current?: PlacementKind): PlacementKind {
    if (this.#dedicated === undefined) return "shared";
    return this.#placement.decide(
      current === undefined ? { integrationCount } : { integrationCount, current },
    );
  }

  async #endpoint(tenantId: string, placement: PlacementKind): Promise<NatsEndpoint> {
    if (placement === "shared") return this.#shared;
    if (this.#dedicated === undefined) {
      throw new ProvisionerError(
        "PLACEMENT_UNAVAILABLE",
        `tenant "${tenantId}" lives on a dedicated server, but this provisioner has no dedicated servers; pass \`dedicated\` to new Provisioner()`,
      );
    }
    return this.#dedicated.acquire(tenantId);
  }

  /** The server holding `record`'s account; a dedicated server that came back on a new URL gets the account again. */
  async #endpointOf(record: TenantRecord): Promise<NatsEndpoint> {
    const endpoint = await this.#endpoint(record.id, record.placement);
    if (endpoint.url !== record.serverUrl) {
      record.serverUrl = endpoint.url;
      await this.#pushAccount(record, endpoint);
      await this.#store.put(record);
    }
    return endpoint;
  }

  async #releaseDedicated(tenantId: string, endpoint: NatsEndpoint): Promise<void> {
    await this.#closeSystem(endpoint.url);
    await this.#dedicated?.release(tenantId);
  }

  /** Re-issues the account JWT from the record (plan, signing key, revocations) and pushes it. */
  async #pushAccount(
    record: TenantRecord,
    endpoint: NatsEndpoint,
    options: { connectionHeadroom?: number } = {},
  ): Promise<void> {
    const { plan } = record;
    const headroom = options.connectionHeadroom ?? 0;
    // nats-server counts an account's internal JetStream clients (up to two per stream, one per
    // consumer) against its connection limit when it applies an updated account JWT, and closes
    // those over it: the streams they serve answer "no responders" until the server restarts
    // (nats-server#6766, #7258; seen on 2.9). Every update — new creds, a plan, a move — would
    // break a busy tenant's streams, so the JWT's limit leaves room for two internal clients per
    // stream and per consumer the plan allows.
    const internal =
      plan.maxStreams === UNLIMITED || plan.maxConsumers === UNLIMITED
        ? UNLIMITED
        : 2 * (plan.maxStreams + plan.maxConsumers);
    const maxConnections =
      plan.maxConnections === UNLIMITED || internal === UNLIMITED
        ? UNLIMITED
        : plan.maxConnections + internal + headroom;
    const jwt = await this.#operator.encodeAccount(
      record.id,
      record.accountPublicKey,
      tenantAccountClaims({ ...plan, maxConnections }, record.signingPublicKey, record.revocations),
    );
    if (headroom === 0) record.accountJwt = jwt;
    record.updatedAt = new Date().toISOString();
    await pushAccountJwt(await this.#system(endpoint), jwt, {
      what: `account of tenant "${record.id}"`,
      url: endpoint.url,
      timeoutMs: this.#timeoutMs,
    });
  }

  async #deleteAccount(record: TenantRecord, endpoint: NatsEndpoint): Promise<void> {
    await deleteAccounts(
      await this.#system(endpoint),
      await this.#operator.encodeDeleteRequest([record.accountPublicKey]),
      { what: `account of tenant "${record.id}"`, url: endpoint.url, timeoutMs: this.#timeoutMs },
    );
  }

  /**
   * Removes what a failed provisioning created. When that fails too, the record stays, so
   * `deprovision` can finish the job (and `provision` reports the tenant as existing).
   */
  async #undoProvision(record: TenantRecord, endpoint: NatsEndpoint, pushed: boolean): Promise<void> {
    try {
      if (pushed) {
        await this.#teardown(record, endpoint);
        await this.#store.delete(record.id);
      } else if (record.placement === "dedicated") {
        await this.#releaseDedicated(record.id, endpoint);
      }
    } catch (cleanupError) {
      this.#log.warn(
        { tenantId: record.id, account: record.accountPublicKey, err: describe(cleanupError) },
        "could not undo a failed provisioning; run deprovision for this tenant to finish the cleanup",
      );
    }
  }

  /** Revokes every user, removes resources, deletes the account, releases a dedicated server. */
  async #teardown(record: TenantRecord, endpoint: NatsEndpoint): Promise<RemovedResources> {
    // Revoke the workers first: it closes their connections, so the provisioner's own user gets
    // a connection even when the workers use up the plan's maxConnections.
    const revokedAt = unixSeconds();
    for (const user of record.users) record.revocations[user.publicKey] = revokedAt;
    await this.#pushAccount(record, endpoint);
    const removed = await this.#asTenant(record, (nc) => removeTenantResources(nc, record.id));
    // Then every user ever issued (`*`), so they stay out even if a server that missed the
    // delete (down at the time) later syncs this JWT back.
    record.revocations["*"] = unixSeconds();
    await this.#pushAccount(record, endpoint);
    await this.#deleteAccount(record, endpoint);
    if (record.placement === "dedicated") await this.#releaseDedicated(record.id, endpoint);
    return removed;
  }

  async #issueWorker(record: TenantRecord): Promise<{ userPublicKey: string; creds: string }> {
    const name = `${record.id}-worker`;
    const { user, jwt } = await this.#issueUser(record, name);
    record.users.push({ publicKey: user.getPublicKey(), name, issuedAt: new Date().toISOString() });
    return { userPublicKey: user.getPublicKey(), creds: formatCreds(jwt, user) };
  }

  async #issueUser(
    record: TenantRecord,
    name: string,
    expiresInS?: number,
  ): Promise<{ user: KeyPair; jwt: string }> {
    const user = nativeKeyPair(createUser().getSeed());
    const signer = nativeKeyPair(record.signingKeySeed, record.signingPublicKey);
    const jwt = await encodeUser(
      name,
      user,
      record.accountPublicKey,
      {},
      { signer, ...(expiresInS === undefined ? {} : { exp: unixSeconds() + expiresInS }) },
    );
    return { user, jwt };
  }

  /** Checks that JetStream came up for the account (when its plan has any) and creates the baseline resources. */
  async #prepareAccount(record: TenantRecord, endpoint: NatsEndpoint): Promise<void> {
    const { plan } = record;
    const wantsJetStream = plan.maxMemoryBytes !== 0 || plan.maxStorageBytes !== 0;
    await this.#asTenant({ ...record, serverUrl: endpoint.url }, async (nc) => {
      if (wantsJetStream && (await openJetStream(nc, record.id)) === undefined) {
        throw await this.#jetStreamUnavailable(record, endpoint);
      }
      await createTenantResources(nc, record.resources, record.id);
    });
  }

  /**
   * Refuses a plan that would overcommit a standalone server's JetStream. nats-server reserves
   * each account's limits against its capacity and, when they do not fit, withholds JetStream
   * from a new account or silently keeps an existing account's old limits; checking first turns
   * that into a clear error. Counts the tenants this provisioner's store places on the server.
   */
  async #admit(record: TenantRecord, plan: TenantPlan, endpoint: NatsEndpoint): Promise<void> {
    const room = await this.#jetStreamRoom(record, endpoint);
    if (room === undefined) return;
    const fits = (asked: number, reserved: number, capacity: number) =>
      asked <= 0 || reserved + asked <= capacity;
    if (
      !fits(plan.maxMemoryBytes, room.reservedMemory, room.capacity.maxMemoryBytes) ||
      !fits(plan.maxStorageBytes, room.reservedStorage, room.capacity.maxStorageBytes)
    ) {
      throw jetStreamUnavailable(record.id, plan, endpoint.url, room, "cannot take");
    }
  }

  /** Explains why a server refused JetStream to an account, with the numbers that did not fit. */
  async #jetStreamUnavailable(record: TenantRecord, endpoint: NatsEndpoint): Promise<ProvisionerError> {
    const room = await this.#jetStreamRoom(record, endpoint);
    return jetStreamUnavailable(record.id, record.plan, endpoint.url, room, "did not enable JetStream for");
  }

  /** A standalone server's JetStream capacity and what the other tenants on it reserve. */
  async #jetStreamRoom(record: TenantRecord, endpoint: NatsEndpoint): Promise<JetStreamRoom | undefined> {
    const capacity = await jetStreamCapacity(await this.#system(endpoint));
    if (capacity === undefined || capacity.clustered) return undefined;
    const neighbours = (await this.#store.list()).filter(
      (other) => other.serverUrl === endpoint.url && other.id !== record.id,
    );
    const reserved = (pick: (plan: TenantPlan) => number) =>
      neighbours.reduce((sum, other) => sum + Math.max(0, pick(other.plan)), 0);
    return {
      capacity,
      neighbours: neighbours.length,
      reservedMemory: reserved((plan) => plan.maxMemoryBytes),
      reservedStorage: reserved((plan) => plan.maxStorageBytes),
    };
  }

  /** Runs `work` connected as a short-lived user of the tenant's account (not recorded, expires by itself). */
  async #asTenant<T>(
    record: TenantRecord,
    work: (nc: NatsConnection) => Promise<T>,
    ttlS = ADMIN_USER_TTL_S,
  ): Promise<T> {
    const { user, jwt } = await this.#issueUser(record, `${record.id}-provisioner`, ttlS);
    let nc: NatsConnection;
    try {
      nc = await connectWithCreds(record.serverUrl, formatCreds(jwt, user), {
        name: "vrsky-provisioner",
        reconnect: false,
      });
    } catch (error) {
      throw new ProvisionerError(
        "RESOURCE_FAILED",
        `could not connect to ${record.serverUrl} as tenant "${record.id}": ${describe(error)}`,
        { cause: error },
      );
    }
    try {
      return await work(nc);
    } finally {
      await nc.close();
    }
  }

  async #system(endpoint: NatsEndpoint): Promise<NatsConnection> {
    const cached = this.#systemConnections.get(endpoint.url);
    const open = await cached?.catch(() => undefined);
    if (open !== undefined && !open.isClosed()) return open;
    const connection = connectWithCreds(endpoint.url, endpoint.systemCreds, { name: "vrsky-provisioner" });
    this.#systemConnections.set(endpoint.url, connection);
    try {
      return await connection;
    } catch (error) {
      // A failed connect must not stay cached: the next call tries again.
      if (this.#systemConnections.get(endpoint.url) === connection)
        this.#systemConnections.delete(endpoint.url);
      throw new ProvisionerError(
        "CLAIMS_REJECTED",
        `could not connect to ${endpoint.url} as the system user: ${describe(error)}; check that the server trusts this operator`,
        { cause: error },
      );
    }
  }

  async #closeSystem(url: string): Promise<void> {
    const connection = this.#systemConnections.get(url);
    this.#systemConnections.delete(url);
    await (await connection?.catch(() => undefined))?.close();
  }

  async #require(tenantId: string): Promise<TenantRecord> {
    const record = TenantId.safeParse(tenantId).success ? await this.#store.get(tenantId) : undefined;
    if (record === undefined) {
      throw new ProvisionerError(
        "TENANT_NOT_FOUND",
        `tenant "${tenantId}" is not provisioned; provision it first (or it was already deprovisioned)`,
      );
    }
    return record;
  }

  #provisioned(record: TenantRecord): Omit<ProvisionedTenant, "userPublicKey" | "creds"> {
    return {
      tenantId: record.id,
      accountPublicKey: record.accountPublicKey,
      placement: record.placement,
      url: record.serverUrl,
    };
  }

  /** Runs `work` after every earlier operation on the same tenant has settled. */
  async #exclusive<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(tenantId) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(work);
    const settled = current.catch(() => undefined);
    this.#locks.set(tenantId, settled);
    try {
      return await current;
    } finally {
      if (this.#locks.get(tenantId) === settled) this.#locks.delete(tenantId);
    }
  }
}

function publicInfo(record: TenantRecord): TenantInfo {
  const { signingKeySeed: _secret, ...info } = record;
  return structuredClone(info);
}

interface JetStreamRoom {
  capacity: JetStreamCapacity;
  neighbours: number;
  reservedMemory: number;
  reservedStorage: number;
}

function jetStreamUnavailable(
  tenantId: string,
  plan: TenantPlan,
  url: string,
  room: JetStreamRoom | undefined,
  verb: string,
): ProvisionerError {
  const here =
    room === undefined
      ? ""
      : ` (capacity ${bytes(room.capacity.maxMemoryBytes)} memory, ${bytes(room.capacity.maxStorageBytes)} storage; ` +
        `${room.neighbours} other tenants here reserve ${bytes(room.reservedMemory)} and ${bytes(room.reservedStorage)})`;
  return new ProvisionerError(
    "JETSTREAM_UNAVAILABLE",
    `nats-server ${url} ${verb} tenant "${tenantId}", whose plan asks for ` +
      `${bytes(plan.maxMemoryBytes)} JetStream memory and ${bytes(plan.maxStorageBytes)} storage. ` +
      `A standalone nats-server reserves every account's JetStream limits against its own capacity${here} ` +
      "and refuses accounts that do not fit. Lower the plan, raise the server's max_memory_store/max_file_store, " +
      "or place the tenant on a dedicated server.",
  );
}

function bytes(n: number): string {
  if (n < 0) return "unlimited";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
