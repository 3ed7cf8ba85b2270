import type { NatsConnection } from "@nats-io/transport-node";
import { ErrorCode, FatalError } from "@vrsky/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBlobReader } from "./blob-reader.js";
import { connectTestNats, deleteStreamIfExists, readAll, uniqueBucket } from "./blob-test-backends.js";
import { JetStreamBlobStore } from "./jetstream-blob-store.js";

describe("openBlobReader", () => {
  let nc: NatsConnection;
  let hot: JetStreamBlobStore;
  let cold: JetStreamBlobStore;
  const buckets = [uniqueBucket(), uniqueBucket()] as const;

  beforeAll(async () => {
    nc = await connectTestNats();
    hot = new JetStreamBlobStore({ connection: nc, bucket: buckets[0], name: "hot", storage: "memory" });
    cold = new JetStreamBlobStore({ connection: nc, bucket: buckets[1], name: "cold", storage: "memory" });
  });
  afterAll(async () => {
    for (const bucket of buckets) await deleteStreamIfExists(nc, `OBJ_${bucket}`);
    await nc.close();
  });

  it("reads each reference from the store it names", async () => {
    const a = await hot.put("same-key", new TextEncoder().encode("from hot"), { ttlMs: 60_000 });
    const b = await cold.put("same-key", new TextEncoder().encode("from cold"), { ttlMs: 60_000 });
    const reader = openBlobReader([hot, cold]);
    expect((await readAll(reader.get(a))).toString()).toBe("from hot");
    expect((await readAll(reader.get(b))).toString()).toBe("from cold");
  });

  it("fails with BLOB_NOT_FOUND naming the configured stores for an unknown store", async () => {
    const ref = await hot.put("k", new Uint8Array(1), { ttlMs: 60_000 });
    const reader = openBlobReader([hot]);
    const read = readAll(reader.get({ ...ref, store: "archive" }));
    await expect(read).rejects.toBeInstanceOf(FatalError);
    await expect(readAll(reader.get({ ...ref, store: "archive" }))).rejects.toMatchObject({
      code: ErrorCode.BlobNotFound,
      message: expect.stringContaining('configured: "hot"'),
    });
  });

  it("refuses two stores with the same name", () => {
    expect(() => openBlobReader([hot, hot])).toThrow(/both named "hot"/);
  });
});
