import { createServer } from "node:net";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ErrorCode, RetryableError } from "@vrsky/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readAll, startTestS3, type TestS3 } from "./blob-test-backends.js";
import { sha256Hex } from "./checksum-stream.js";
import { EXPIRES_AT_KEY } from "./expiry.js";
import { S3BlobStore, SHA256_KEY } from "./s3-blob-store.js";

const MINUTE = 60_000;

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port assigned");
  return address.port;
}

describe("S3BlobStore", () => {
  let s3: TestS3;
  let bucket: string;

  beforeAll(async () => {
    s3 = await startTestS3();
  });
  afterEach(async () => {
    if (bucket) await s3.deleteBucket(bucket);
  });
  afterAll(async () => {
    await s3.stop();
  });

  it("keeps the expiry, and the sha256 of a body given as bytes, in the object metadata", async () => {
    bucket = await s3.createBucket();
    const store = new S3BlobStore({ client: s3.client, bucket, prefix: "p/" });
    const bytes = new TextEncoder().encode("hello");
    const ref = await store.put("k", bytes, { ttlMs: MINUTE, contentType: "text/plain" });

    const head = await s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: "p/k" }));
    expect(head.Metadata).toEqual({ [EXPIRES_AT_KEY]: ref.expiresAt, [SHA256_KEY]: sha256Hex(bytes) });
    expect(head.ContentType).toBe("text/plain");
  });

  it("sweeps only expired objects under its prefix that VRSky wrote", async () => {
    bucket = await s3.createBucket();
    const store = new S3BlobStore({ client: s3.client, bucket, prefix: "p/" });
    await store.put("expired", new Uint8Array(1), { ttlMs: MINUTE });
    const past = new Date(Date.now() - MINUTE).toISOString();
    await s3.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "other/x",
        Body: "x",
        Metadata: { [EXPIRES_AT_KEY]: past },
      }),
    );
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: "p/foreign", Body: "x" }));

    expect(await store.sweep(new Date(Date.now() + 2 * MINUTE))).toBe(1);
    await expect(
      s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: "other/x" })),
    ).resolves.toBeDefined();
    await expect(
      s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: "p/foreign" })),
    ).resolves.toBeDefined();
  });

  it("stops an upload when its signal aborts and leaves no object behind", async () => {
    bucket = await s3.createBucket();
    const store = new S3BlobStore({ client: s3.client, bucket });
    const controller = new AbortController();
    const reason = new Error("shutting down");
    async function* source(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1024);
      controller.abort(reason);
      yield new Uint8Array(1024);
    }
    await expect(store.put("aborted", source(), { ttlMs: MINUTE, signal: controller.signal })).rejects.toBe(
      reason,
    );
    await expect(
      s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: "aborted" })),
    ).rejects.toMatchObject({
      name: "NotFound",
    });
  });

  it("fails with a RetryableError that says to create a missing bucket", async () => {
    bucket = "";
    const store = new S3BlobStore({ client: s3.client, bucket: "no-such-bucket" });
    const put = store.put("k", new Uint8Array(1), { ttlMs: MINUTE });
    await expect(put).rejects.toBeInstanceOf(RetryableError);
    await expect(put).rejects.toThrow(/create bucket "no-such-bucket"/);
  });

  it("fails with a RetryableError, not BLOB_NOT_FOUND, when S3 is unreachable", async () => {
    bucket = "";
    const store = new S3BlobStore({
      client: {
        endpoint: `http://127.0.0.1:${await closedPort()}`,
        region: "us-east-1",
        forcePathStyle: true,
        maxAttempts: 1,
        credentials: { accessKeyId: "k", secretAccessKey: "s" },
      },
      bucket: "unreachable",
    });
    try {
      const ref = {
        store: "s3",
        key: "k",
        size: 1,
        sha256: "0".repeat(64),
        expiresAt: new Date(Date.now() + MINUTE).toISOString(),
      };
      await expect(readAll(store.get(ref))).rejects.toMatchObject({ code: ErrorCode.Retryable });
      await expect(store.put("k", new Uint8Array(1), { ttlMs: MINUTE })).rejects.toBeInstanceOf(
        RetryableError,
      );
    } finally {
      await store.close();
    }
  });

  it("leaves a client it was given open on close", async () => {
    bucket = await s3.createBucket();
    const client = new S3Client(s3.config);
    const store = new S3BlobStore({ client, bucket });
    await store.close();
    const ref = await store.put("after-close", new Uint8Array(1), { ttlMs: MINUTE });
    expect(ref.size).toBe(1);
    client.destroy();
  });
});
