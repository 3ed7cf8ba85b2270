import { setTimeout as delay } from "node:timers/promises";
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import { type NatsConnection, nanos } from "@nats-io/transport-node";
import { ProvisionerError } from "./provisioner-error.js";
import type { BaselineResources } from "./tenant-spec.js";

/** How many JetStream resources {@link removeTenantResources} deleted, by kind. */
export interface RemovedResources {
  /** Plain streams. */
  streams: number;
  /** KV buckets (streams named `KV_<bucket>`). */
  kvBuckets: number;
  /** Object stores (streams named `OBJ_<bucket>`). */
  objectStores: number;
}

/**
 * Creates a tenant's baseline streams, KV buckets and object stores, connected as a user of the
 * tenant's account, so each counts against the account's JetStream limits like anything the
 * tenant creates later.
 *
 * @param nc - a connection with the tenant's credentials
 * @param resources - what to create
 * @param tenantId - for error messages
 * @throws ProvisionerError `RESOURCE_FAILED` naming the resource the server refused (a limit, a bad
 *   config), `JETSTREAM_UNAVAILABLE` when the account has no JetStream
 */
export async function createTenantResources(
  nc: NatsConnection,
  resources: BaselineResources,
  tenantId: string,
): Promise<void> {
  const total = resources.streams.length + resources.kvBuckets.length + resources.objectStores.length;
  if (total === 0) return;
  const jsm = await openJetStream(nc, tenantId);
  if (jsm === undefined) {
    throw new ProvisionerError(
      "JETSTREAM_UNAVAILABLE",
      `cannot create the baseline resources of tenant "${tenantId}": JetStream is not enabled for its account; ` +
        "give its plan JetStream storage (maxMemoryBytes or maxStorageBytes above 0)",
    );
  }
  for (const stream of resources.streams) {
    await step(`create stream "${stream.name}" for tenant "${tenantId}"`, () =>
      jsm.streams.add({
        name: stream.name,
        subjects: stream.subjects,
        storage: stream.storage,
        retention: stream.retention,
        ...(stream.maxBytes === undefined ? {} : { max_bytes: stream.maxBytes }),
        ...(stream.maxMsgs === undefined ? {} : { max_msgs: stream.maxMsgs }),
        ...(stream.maxAgeMs === undefined ? {} : { max_age: nanos(stream.maxAgeMs) }),
      }),
    );
  }
  const kvm = new Kvm(nc);
  for (const kv of resources.kvBuckets) {
    await step(`create KV bucket "${kv.bucket}" for tenant "${tenantId}"`, () =>
      kvm.create(kv.bucket, {
        history: kv.history,
        storage: kv.storage,
        ...(kv.maxBytes === undefined ? {} : { max_bytes: kv.maxBytes }),
        ...(kv.ttlMs === undefined ? {} : { ttl: kv.ttlMs }),
      }),
    );
  }
  const objm = new Objm(nc);
  for (const store of resources.objectStores) {
    await step(`create object store "${store.bucket}" for tenant "${tenantId}"`, () =>
      objm.create(store.bucket, {
        storage: store.storage,
        ...(store.maxBytes === undefined ? {} : { max_bytes: store.maxBytes }),
      }),
    );
  }
}

/**
 * Deletes every stream in the tenant's account, which removes its KV buckets and object stores
 * too (each is a stream), with their data.
 *
 * @param nc - a connection with the tenant's credentials
 * @param tenantId - for error messages
 * @returns how many of each kind were deleted
 * @throws ProvisionerError `RESOURCE_FAILED` naming the stream that could not be deleted
 */
export async function removeTenantResources(nc: NatsConnection, tenantId: string): Promise<RemovedResources> {
  const removed: RemovedResources = { streams: 0, kvBuckets: 0, objectStores: 0 };
  const jsm = await openJetStream(nc, tenantId);
  // Without JetStream the account holds no streams.
  if (jsm === undefined) return removed;
  const names = await step(`list the streams of tenant "${tenantId}"`, async () => {
    const found: string[] = [];
    for await (const name of jsm.streams.names()) found.push(name);
    return found;
  });
  for (const name of names) {
    await step(`delete stream "${name}" of tenant "${tenantId}"`, () => jsm.streams.delete(name));
    if (name.startsWith("KV_")) removed.kvBuckets += 1;
    else if (name.startsWith("OBJ_")) removed.objectStores += 1;
    else removed.streams += 1;
  }
  return removed;
}

/** How long a just-connected account may take to answer on the JetStream API. */
const JETSTREAM_SETTLE_MS = 1_000;

/**
 * Opens the JetStream API of a tenant's account, or returns `undefined` when the account has no
 * JetStream: its plan gives it no storage, or the server refused it (a standalone nats-server
 * refuses accounts whose limits would overcommit its own JetStream capacity). A refusal looks
 * like a missing responder, so it is retried briefly first.
 *
 * @param nc - a connection with the tenant's credentials
 * @param tenantId - for error messages
 * @returns the manager, or `undefined` when JetStream is not enabled for the account
 * @throws ProvisionerError `RESOURCE_FAILED` for any other failure
 */
export async function openJetStream(
  nc: NatsConnection,
  tenantId: string,
): Promise<JetStreamManager | undefined> {
  const deadline = Date.now() + JETSTREAM_SETTLE_MS;
  for (;;) {
    try {
      return await jetstreamManager(nc, { timeout: 2_000 });
    } catch (error) {
      if (!(error instanceof Error && error.name === "JetStreamNotEnabled")) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ProvisionerError(
          "RESOURCE_FAILED",
          `could not reach the JetStream API of tenant "${tenantId}": ${reason}`,
          { cause: error },
        );
      }
      if (Date.now() >= deadline) return undefined;
      await delay(25);
    }
  }
}

/** Runs `run`; a failure becomes `RESOURCE_FAILED` saying what could not be done (a ProvisionerError passes through). */
export async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProvisionerError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProvisionerError("RESOURCE_FAILED", `could not ${what}: ${reason}`, { cause: error });
  }
}
