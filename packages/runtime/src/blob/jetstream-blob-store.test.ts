import { jetstreamManager } from "@nats-io/jetstream";
import { Objm } from "@nats-io/obj";
import type { NatsConnection } from "@nats-io/transport-node";
import { ErrorCode, RetryableError } from "@vrsky/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectTestNats, deleteStreamIfExists, readAll, uniqueBucket } from "./blob-test-backends.js";
import { DEFAULT_BLOB_MAX_AGE_MS, EXPIRES_AT_KEY } from "./expiry.js";
import { JetStreamBlobStore } from "./jetstream-blob-store.js";

const MINUTE = 60_000;
const NANOS_PER_MS = 1_000_000;

describe("JetStreamBlobStore", () => {
  let nc: NatsConnection;
  const buckets: string[] = [];
  const newBucket = (): string => {
    const bucket = uniqueBucket();
    buckets.push(bucket);
    return bucket;
  };

  beforeAll(async () => {
    nc = await connectTestNats();
  });
  afterEach(async () => {
    for (const bucket of buckets.splice(0)) await deleteStreamIfExists(nc, `OBJ_${bucket}`);
  });
  afterAll(async () => {
    await nc.close();
  });

  it("creates a missing bucket with a max age as the safety net for unswept blobs", async () => {
    const bucket = newBucket();
    const store = new JetStreamBlobStore({ connection: nc, bucket, storage: "memory" });
    const ref = await store.put("k", new Uint8Array(3), { ttlMs: MINUTE, contentType: "text/csv" });

    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(`OBJ_${bucket}`);
    expect(info.config.max_age).toBe(DEFAULT_BLOB_MAX_AGE_MS * NANOS_PER_MS);
    const object = await (await new Objm(nc).open(bucket)).info("k");
    expect(object?.metadata).toEqual({ [EXPIRES_AT_KEY]: ref.expiresAt, "content-type": "text/csv" });
  });

  it("refuses a TTL longer than the bucket's max age, keeping an existing bucket's own", async () => {
    const bucket = newBucket();
    await new Objm(nc).create(bucket, { ttl: 5 * MINUTE * NANOS_PER_MS, storage: undefined });
    const store = new JetStreamBlobStore({ connection: nc, bucket, maxAgeMs: 60 * MINUTE });
    await expect(store.put("k", new Uint8Array(1), { ttlMs: 10 * MINUTE })).rejects.toThrow(
      /ttlMs 600000 exceeds the max age \(300000 ms\)/,
    );
    await expect(store.put("k", new Uint8Array(1), { ttlMs: 5 * MINUTE })).resolves.toMatchObject({
      size: 1,
    });
  });

  it("round-trips keys with slashes, dots, spaces and non-ASCII letters", async () => {
    const store = new JetStreamBlobStore({ connection: nc, bucket: newBucket(), storage: "memory" });
    const key = "tenant/int.orders/msg 1 – ü";
    const ref = await store.put(key, new TextEncoder().encode("ok"), { ttlMs: MINUTE });
    expect(ref.key).toBe(key);
    expect((await readAll(store.get(ref))).toString()).toBe("ok");
  });

  it("fails with a RetryableError when NATS is unavailable", async () => {
    const bucket = newBucket();
    const own = await connectTestNats();
    const store = new JetStreamBlobStore({ connection: own, bucket, storage: "memory" });
    const ref = await store.put("k", new Uint8Array(1), { ttlMs: MINUTE });
    await own.close();

    await expect(store.put("k2", new Uint8Array(1), { ttlMs: MINUTE })).rejects.toBeInstanceOf(
      RetryableError,
    );
    await expect(readAll(store.get(ref))).rejects.toMatchObject({
      code: ErrorCode.Retryable,
      message: expect.stringContaining(`bucket "${bucket}"`),
    });
  });
});
