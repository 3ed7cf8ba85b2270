import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { BlobGetOptions, BlobPutOptions, BlobRef } from "@vrsky/sdk";
import { blobNotFound, blobStoreFailure } from "./blob-errors.js";
import { hashingStream, sha256Hex, verifiedStream } from "./checksum-stream.js";
import { EXPIRES_AT_KEY, expiresAtFrom, isExpired } from "./expiry.js";
import type { SweepableBlobStore } from "./sweepable-blob-store.js";

/** Options of an {@link S3BlobStore}. */
export interface S3BlobStoreOptions {
  /**
   * An S3 client (the store never destroys it), or the config to create one with (the store
   * destroys it on {@link S3BlobStore.close}). Credentials come from the client or the AWS
   * default chain, never from VRSky settings.
   */
  client: S3Client | S3ClientConfig;
  /** The bucket; it must exist. */
  bucket: string;
  /** Prefix put before every key, e.g. `"int-orders/"`. @default "" */
  prefix?: string;
  /** Name recorded in every {@link BlobRef}. @default "s3" */
  name?: string;
  /** Size of each multipart part; S3's minimum is 5 MiB. @default 5 MiB */
  partSizeBytes?: number;
  /** Parts uploaded in parallel; memory use is about `partSizeBytes × queueSize`. @default 2 */
  queueSize?: number;
}

/** Metadata key holding the hex sha256 of a body whose bytes were known before the upload. */
export const SHA256_KEY = "sha256";

const DEFAULT_PART_SIZE = 5 * 1024 * 1024;
const SWEEP_CONCURRENCY = 8;

/**
 * Claim-check blobs in S3 or an S3-compatible server (MinIO, s3rver). Puts stream as multipart
 * uploads, gets stream the response body, and every read verifies size and sha256. The expiry
 * is kept in the object's metadata (`x-amz-meta-expires-at`), enforced on read and by
 * {@link S3BlobStore.sweep}; on AWS a lifecycle rule on the prefix is a cheaper safety net.
 *
 * The sha256 is also stored in the metadata when the body is given as bytes. A streamed body's
 * digest is only known once uploaded, after its metadata is fixed, so for streams the
 * reference alone carries it — which is all verification needs.
 *
 * @example
 * ```ts
 * const store = new S3BlobStore({ client: new S3Client({}), bucket: "vrsky-blobs", prefix: "orders/" });
 * const ref = await store.put("msg-1", chunks, { ttlMs: 15 * 60_000 });
 * ```
 */
export class S3BlobStore implements SweepableBlobStore {
  /** Name recorded in every reference this store writes. */
  readonly name: string;
  /** The bucket. */
  readonly bucket: string;
  /** The key prefix. */
  readonly prefix: string;
  readonly #client: S3Client;
  readonly #ownsClient: boolean;
  readonly #partSize: number;
  readonly #queueSize: number;

  /**
   * @param options - client, bucket, prefix and upload tuning
   */
  constructor(options: S3BlobStoreOptions) {
    this.name = options.name ?? "s3";
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? "";
    this.#ownsClient = !(options.client instanceof S3Client);
    this.#client = options.client instanceof S3Client ? options.client : new S3Client(options.client);
    this.#partSize = options.partSizeBytes ?? DEFAULT_PART_SIZE;
    this.#queueSize = options.queueSize ?? 2;
  }

  /**
   * Streams a body into the bucket as a multipart upload and returns its reference.
   * @param key - key under the prefix; an existing object is replaced
   * @param body - the bytes, whole or as chunks
   * @param options - TTL, content type, abort signal
   * @throws RangeError if `ttlMs` is not positive
   * @throws RetryableError if S3 fails; the multipart upload is aborted
   */
  async put(
    key: string,
    body: Uint8Array | AsyncIterable<Uint8Array>,
    options: BlobPutOptions,
  ): Promise<BlobRef> {
    const expiresAt = expiresAtFrom(options.ttlMs).toISOString();
    const { signal } = options;
    signal?.throwIfAborted();
    const metadata: Record<string, string> = { [EXPIRES_AT_KEY]: expiresAt };
    if (body instanceof Uint8Array) metadata[SHA256_KEY] = sha256Hex(body);
    const hashed = hashingStream(body instanceof Uint8Array ? [body] : body, signal);
    const abort = new AbortController();
    const onAbort = (): void => abort.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const upload = new Upload({
        client: this.#client,
        params: {
          Bucket: this.bucket,
          Key: this.#objectKey(key),
          Body: Readable.from(hashed.chunks, { objectMode: false }),
          ContentType: options.contentType,
          Metadata: metadata,
        },
        partSize: this.#partSize,
        queueSize: this.#queueSize,
        leavePartsOnError: false,
        abortController: abort,
      });
      await upload.done();
    } catch (error) {
      throw blobStoreFailure(
        `writing blob "${key}" to S3 bucket "${this.bucket}"`,
        fixFor(error, this.bucket),
        error,
        signal,
      );
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    const { sha256, size } = hashed.digest();
    return { store: this.name, key, size, sha256, expiresAt };
  }

  /**
   * Streams a body back from the response, verifying size and sha256.
   * @param ref - a reference written by this store
   * @param options - abort signal
   * @throws FatalError `BLOB_NOT_FOUND` if the ref has expired or the object is gone
   * @throws FatalError `BLOB_CHECKSUM_MISMATCH` if the bytes differ from the ref
   * @throws RetryableError on network failures, throttling, 5xx or a missing bucket
   */
  get(ref: BlobRef, options: BlobGetOptions = {}): AsyncIterable<Uint8Array> {
    return this.#read(ref, options.signal);
  }

  /**
   * Deletes a blob; a missing blob is not an error.
   * @param ref - the reference to delete
   * @throws RetryableError if S3 fails
   */
  async delete(ref: BlobRef): Promise<void> {
    await this.#delete(this.#objectKey(ref.key));
  }

  /**
   * Deletes every object under the prefix whose `expires-at` metadata is at or before `now`.
   * Objects without it (not written by VRSky) are kept. Reads each object's metadata with a
   * HEAD request, a few at a time.
   * @param now - the reference time @default new Date()
   * @returns how many blobs were deleted
   */
  async sweep(now: Date = new Date()): Promise<number> {
    let deleted = 0;
    try {
      const pages = paginateListObjectsV2(
        { client: this.#client },
        { Bucket: this.bucket, Prefix: this.prefix },
      );
      for await (const page of pages) {
        const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key]));
        for (let i = 0; i < keys.length; i += SWEEP_CONCURRENCY) {
          const batch = keys.slice(i, i + SWEEP_CONCURRENCY);
          const results = await Promise.all(batch.map((k) => this.#sweepOne(k, now)));
          deleted += results.filter(Boolean).length;
        }
      }
    } catch (error) {
      throw blobStoreFailure(`sweeping S3 bucket "${this.bucket}"`, fixFor(error, this.bucket), error);
    }
    return deleted;
  }

  /** Destroys the S3 client if the store created it. */
  async close(): Promise<void> {
    if (this.#ownsClient) this.#client.destroy();
  }

  async *#read(ref: BlobRef, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
    signal?.throwIfAborted();
    if (isExpired(ref.expiresAt)) throw blobNotFound(ref, `expired at ${ref.expiresAt}`);
    const where = `reading blob "${ref.key}" from S3 bucket "${this.bucket}"`;
    try {
      const response = await this.#client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.#objectKey(ref.key) }),
        { abortSignal: signal },
      );
      const body: unknown = response.Body;
      if (!isAsyncIterable(body)) throw new Error("the S3 response has no streamable body");
      yield* verifiedStream(ref, body, signal);
    } catch (error) {
      if (isNoSuchKey(error)) throw blobNotFound(ref, "deleted or swept", error);
      throw blobStoreFailure(where, fixFor(error, this.bucket), error, signal);
    }
  }

  async #sweepOne(objectKey: string, now: Date): Promise<boolean> {
    let expiresAt: string | undefined;
    try {
      const head = await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      expiresAt = head.Metadata?.[EXPIRES_AT_KEY];
    } catch (error) {
      if (isNoSuchKey(error)) return false; // deleted by someone else since the listing
      throw error;
    }
    if (!isExpired(expiresAt, now)) return false;
    await this.#delete(objectKey);
    return true;
  }

  async #delete(objectKey: string): Promise<void> {
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    } catch (error) {
      if (isNoSuchKey(error)) return;
      throw blobStoreFailure(
        `deleting blob "${objectKey}" from S3 bucket "${this.bucket}"`,
        fixFor(error, this.bucket),
        error,
      );
    }
  }

  #objectKey(key: string): string {
    return `${this.prefix}${key}`;
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("$metadata" in error)) return undefined;
  const metadata: unknown = error.$metadata;
  if (typeof metadata !== "object" || metadata === null || !("httpStatusCode" in metadata)) return undefined;
  return typeof metadata.httpStatusCode === "number" ? metadata.httpStatusCode : undefined;
}

/** A missing object — not a missing bucket, which is an operator's problem and retryable. */
function isNoSuchKey(error: unknown): boolean {
  const name = errorName(error);
  if (name === "NoSuchKey") return true;
  return name !== "NoSuchBucket" && httpStatus(error) === 404;
}

function fixFor(error: unknown, bucket: string): string {
  const name = errorName(error);
  if (name === "NoSuchBucket")
    return `create bucket "${bucket}" or fix the bucket in the blob-store settings`;
  const status = httpStatus(error);
  if (status === 403 || name === "AccessDenied" || name === "InvalidAccessKeyId") {
    return `check the credentials allow s3:GetObject, s3:PutObject, s3:DeleteObject and s3:ListBucket on "${bucket}"`;
  }
  return "check that S3 is reachable; the step is retried";
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}
