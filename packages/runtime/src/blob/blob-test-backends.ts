// Test support for the blob-store tests: the real backends (a running NATS, an in-process
// s3rver), one fresh bucket per test, and a way to tamper with a stored object from outside.
import { randomBytes } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { jetstreamManager } from "@nats-io/jetstream";
import { Objm } from "@nats-io/obj";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { BlobRef } from "@vrsky/sdk";
import { startS3Server } from "@vrsky/services";
import { EXPIRES_AT_KEY } from "./expiry.js";
import { JetStreamBlobStore } from "./jetstream-blob-store.js";
import { S3BlobStore } from "./s3-blob-store.js";
import type { SweepableBlobStore } from "./sweepable-blob-store.js";

/** The NATS server the tests use. */
export const TEST_NATS_URL = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

/** A fresh, unique bucket name (valid for object stores, KV and S3). */
export function uniqueBucket(prefix = "vrsky-test"): string {
  return `${prefix}-${randomBytes(6).toString("hex")}`;
}

/** Connects to the test NATS server. */
export function connectTestNats(): Promise<NatsConnection> {
  return connect({ servers: TEST_NATS_URL, name: "vrsky-blob-tests" });
}

/** Deletes a JetStream stream if it exists. */
export async function deleteStreamIfExists(nc: NatsConnection, stream: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.delete(stream);
  } catch (error) {
    if (!(error instanceof Error && /not found/i.test(error.message))) throw error;
  }
}

/** A store over a fresh bucket, and ways to reach behind its back. */
export interface StoreUnderTest {
  readonly store: SweepableBlobStore;
  /** Overwrites the object behind `ref` directly in the backend, keeping its expiry. */
  tamper(ref: BlobRef, bytes: Uint8Array): Promise<void>;
  /** Deletes the bucket and everything in it. */
  destroy(): Promise<void>;
}

/** One backend the shared suite runs against. */
export interface BlobBackend {
  readonly name: "jetstream" | "s3";
  /** Starts what the backend needs (once per file). */
  setup(): Promise<void>;
  /** Stops it. */
  teardown(): Promise<void>;
  /** A store over a new, empty bucket. */
  openStore(): Promise<StoreUnderTest>;
}

/** The JetStream object-store backend against the running NATS server. */
export function jetStreamBackend(): BlobBackend {
  let nc: NatsConnection | undefined;
  const connection = (): NatsConnection => {
    if (!nc) throw new Error("jetStreamBackend: setup() was not called");
    return nc;
  };
  return {
    name: "jetstream",
    async setup() {
      nc = await connectTestNats();
    },
    async teardown() {
      await nc?.close();
    },
    async openStore() {
      const bucket = uniqueBucket();
      const store = new JetStreamBlobStore({ connection: connection(), bucket, storage: "memory" });
      return {
        store,
        async tamper(ref, bytes) {
          const os = await new Objm(connection()).open(bucket);
          await os.putBlob({ name: ref.key, metadata: { [EXPIRES_AT_KEY]: ref.expiresAt } }, bytes);
        },
        async destroy() {
          await deleteStreamIfExists(connection(), `OBJ_${bucket}`);
        },
      };
    },
  };
}

/** An s3rver running in this process, and a client for it. */
export interface TestS3 {
  readonly client: S3Client;
  /** The config `client` was created with, to create more clients. */
  readonly config: S3ClientConfig;
  /** Creates a fresh bucket and returns its name. */
  createBucket(): Promise<string>;
  /** Empties and deletes a bucket. */
  deleteBucket(bucket: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts s3rver on a free port (the OS picks it) in a fresh temp directory. */
export async function startTestS3(): Promise<TestS3> {
  const server = await startS3Server();
  const config: S3ClientConfig = {
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: server.credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  };
  const client = new S3Client(config);
  return {
    client,
    config,
    async createBucket() {
      const bucket = uniqueBucket();
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    async deleteBucket(bucket) {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      for (const object of listed.Contents ?? []) {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
      }
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    },
    async stop() {
      // Destroy the client first: its keep-alive sockets would hold the server's close open.
      client.destroy();
      await server.stop();
    },
  };
}

/** The S3 backend against an s3rver started for the suite. */
export function s3Backend(): BlobBackend {
  let s3: TestS3 | undefined;
  const started = (): TestS3 => {
    if (!s3) throw new Error("s3Backend: setup() was not called");
    return s3;
  };
  return {
    name: "s3",
    async setup() {
      s3 = await startTestS3();
    },
    async teardown() {
      await s3?.stop();
    },
    async openStore() {
      const { client, createBucket, deleteBucket } = started();
      const bucket = await createBucket();
      const store = new S3BlobStore({ client, bucket, prefix: "blobs/" });
      return {
        store,
        async tamper(ref, bytes) {
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: `blobs/${ref.key}`,
              Body: bytes,
              Metadata: { [EXPIRES_AT_KEY]: ref.expiresAt },
            }),
          );
        },
        destroy: () => deleteBucket(bucket),
      };
    },
  };
}

const POOL_SIZE = 4 * 1024 * 1024;
let pool: Buffer | undefined;

/**
 * Yields `size` bytes in `chunkSize` chunks without allocating them: each chunk is a view into
 * one immutable 4 MiB random pool at a varying offset, so the payload is not periodic and the
 * test's own garbage does not blur a memory measurement.
 */
export async function* generatedPayload(size: number, chunkSize = 256 * 1024): AsyncGenerator<Uint8Array> {
  if (chunkSize > POOL_SIZE) throw new RangeError(`chunkSize must be at most ${POOL_SIZE}`);
  pool ??= randomBytes(POOL_SIZE);
  let index = 0;
  for (let sent = 0; sent < size; sent += chunkSize) {
    const length = Math.min(chunkSize, size - sent);
    const offset = (index++ * 7919 * 31) % (POOL_SIZE - length + 1);
    yield pool.subarray(offset, offset + length);
  }
}

/** Reads a stream to the end and returns everything it yielded, concatenated. */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
