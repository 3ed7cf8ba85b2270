import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { parseConfig } from "@vrsky/sdk";
import { z } from "zod";
import { JetStreamBlobStore } from "./jetstream-blob-store.js";
import type { JetStreamTarget } from "./jetstream-target.js";
import { S3BlobStore } from "./s3-blob-store.js";
import type { SweepableBlobStore } from "./sweepable-blob-store.js";

/** Settings of the default backend, the JetStream object store. */
export const JetStreamBlobStoreSettings = z
  .object({
    store: z.literal("jetstream"),
    /** Object-store bucket, created if missing. */
    bucket: z
      .string()
      .regex(/^[-\w]+$/, "use only letters, digits, '-' and '_'")
      .default("vrsky-blobs"),
    /** Max age of a bucket the store creates, in ms. @default 30 min */
    maxAgeMs: z.number().int().positive().optional(),
    /** Storage of a bucket the store creates. @default "file" */
    storage: z.enum(["file", "memory"]).optional(),
    /** Replicas of a bucket the store creates. @default 1 */
    replicas: z.number().int().min(1).max(5).optional(),
  })
  .strict();
/** Settings of the JetStream object-store backend. */
export type JetStreamBlobStoreSettings = z.infer<typeof JetStreamBlobStoreSettings>;

/** Settings of the S3 backend. Credentials are not settings: they come from the AWS default chain. */
export const S3BlobStoreSettings = z
  .object({
    store: z.literal("s3"),
    /** The bucket; it must exist. */
    bucket: z.string().min(3).max(63),
    /** Prefix put before every key. @default "" */
    prefix: z.string().optional(),
    /** AWS region. @default "us-east-1" */
    region: z.string().min(1).default("us-east-1"),
    /** Endpoint of an S3-compatible server, e.g. `http://127.0.0.1:9000` for MinIO. */
    endpoint: z.url().optional(),
    /** Path-style addressing, which most S3-compatible servers need. @default true with an endpoint */
    forcePathStyle: z.boolean().optional(),
  })
  .strict();
/** Settings of the S3 backend. */
export type S3BlobStoreSettings = z.infer<typeof S3BlobStoreSettings>;

/** Which claim-check backend to use, and its settings. */
export const BlobStoreSettings = z.discriminatedUnion("store", [
  JetStreamBlobStoreSettings,
  S3BlobStoreSettings,
]);
/** Which claim-check backend to use, and its settings. */
export type BlobStoreSettings = z.infer<typeof BlobStoreSettings>;

/** What {@link openBlobStore} may need besides the settings. */
export interface BlobStoreDeps {
  /** NATS, required for the `jetstream` backend. */
  nats?: JetStreamTarget;
  /** An S3 client for the `s3` backend; without one the store creates (and owns) its own. */
  s3Client?: S3Client;
}

/**
 * Opens the configured claim-check backend.
 *
 * @param settings - `{ store: "jetstream", … }` or `{ store: "s3", … }`; validated again here, since
 *   they often come from a file
 * @param deps - the NATS connection (for `jetstream`) or an S3 client (optional, for `s3`)
 * @returns the store; call its `close()` at shutdown
 * @throws ConfigError listing every invalid setting
 * @throws Error if the `jetstream` backend is chosen without a NATS connection
 * @example
 * ```ts
 * const store = openBlobStore({ store: "jetstream", bucket: "int-orders-blobs" }, { nats: nc });
 * ```
 */
export function openBlobStore(
  settings: z.input<typeof BlobStoreSettings>,
  deps: BlobStoreDeps = {},
): SweepableBlobStore {
  const parsed = parseConfig(BlobStoreSettings, settings, { where: "blob store settings" });
  if (parsed.store === "jetstream") {
    if (!deps.nats) {
      throw new Error("the jetstream blob store needs a NATS connection: pass { nats } to openBlobStore");
    }
    return new JetStreamBlobStore({
      connection: deps.nats,
      bucket: parsed.bucket,
      ...(parsed.maxAgeMs === undefined ? {} : { maxAgeMs: parsed.maxAgeMs }),
      ...(parsed.storage === undefined ? {} : { storage: parsed.storage }),
      ...(parsed.replicas === undefined ? {} : { replicas: parsed.replicas }),
    });
  }
  const config: S3ClientConfig = { region: parsed.region };
  if (parsed.endpoint) {
    config.endpoint = parsed.endpoint;
    config.forcePathStyle = parsed.forcePathStyle ?? true;
    // S3-compatible servers often lag behind AWS's newer default checksum headers; VRSky
    // verifies every body's sha256 end to end anyway.
    config.requestChecksumCalculation = "WHEN_REQUIRED";
    config.responseChecksumValidation = "WHEN_REQUIRED";
  } else if (parsed.forcePathStyle !== undefined) {
    config.forcePathStyle = parsed.forcePathStyle;
  }
  return new S3BlobStore({
    client: deps.s3Client ?? config,
    bucket: parsed.bucket,
    ...(parsed.prefix === undefined ? {} : { prefix: parsed.prefix }),
  });
}
