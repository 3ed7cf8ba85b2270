import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { ErrorCode } from "@vrsky/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobReleaser } from "./blob-releaser.js";
import { connectTestNats, deleteStreamIfExists, readAll, uniqueBucket } from "./blob-test-backends.js";
import { DEFAULT_BLOB_MAX_AGE_MS } from "./expiry.js";
import { JetStreamBlobStore } from "./jetstream-blob-store.js";

const MINUTE = 60_000;

describe("BlobReleaser", () => {
  let nc: NatsConnection;
  let store: JetStreamBlobStore;
  let releaser: BlobReleaser;
  const objectBucket = uniqueBucket();
  const kvBucket = uniqueBucket("vrsky-test-release");

  beforeAll(async () => {
    nc = await connectTestNats();
    store = new JetStreamBlobStore({ connection: nc, bucket: objectBucket, storage: "memory" });
    releaser = new BlobReleaser({ connection: nc, bucket: kvBucket, stores: [store] });
  });
  afterAll(async () => {
    await deleteStreamIfExists(nc, `OBJ_${objectBucket}`);
    await deleteStreamIfExists(nc, `KV_${kvBucket}`);
    await nc.close();
  });

  it("creates its KV bucket with a max age as the safety net for unreleased entries", async () => {
    const ref = await store.put("k", new Uint8Array(1), { ttlMs: MINUTE });
    await releaser.retain(ref, ["a"]);
    const info = await (await jetstreamManager(nc)).streams.info(`KV_${kvBucket}`);
    expect(info.config.max_age).toBe(DEFAULT_BLOB_MAX_AGE_MS * 1_000_000);
  });

  it("adds holders when a blob is retained again", async () => {
    const ref = await store.put("merge", new Uint8Array(1), { ttlMs: MINUTE });
    await releaser.retain(ref, ["a", "b"]);
    await releaser.retain(ref, ["b", "c"]);
    expect(await releaser.holders(ref)).toEqual(["a", "b", "c"]);
  });

  it("deletes a blob retained for no holders at once", async () => {
    const ref = await store.put("nobody", new Uint8Array(1), { ttlMs: MINUTE });
    await releaser.retain(ref, []);
    await expect(readAll(store.get(ref))).rejects.toMatchObject({ code: ErrorCode.BlobNotFound });
  });

  it("ignores a release of a blob that was never retained and leaves the blob alone", async () => {
    const ref = await store.put("unretained", new TextEncoder().encode("x"), { ttlMs: MINUTE });
    expect(await releaser.release(ref, "a")).toEqual({ deleted: false });
    expect((await readAll(store.get(ref))).toString()).toBe("x");
  });

  it("refuses to retain a blob of a store it cannot delete from", async () => {
    const ref = await store.put("elsewhere", new Uint8Array(1), { ttlMs: MINUTE });
    await expect(releaser.retain({ ...ref, store: "archive" }, [])).rejects.toMatchObject({
      code: ErrorCode.BlobNotFound,
      message: expect.stringContaining('"archive"'),
    });
  });
});
