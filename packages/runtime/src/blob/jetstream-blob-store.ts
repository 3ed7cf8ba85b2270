import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import { type ObjectInfo, type ObjectStore, Objm, StorageType } from "@nats-io/obj";
import type { BlobGetOptions, BlobPutOptions, BlobRef } from "@vrsky/sdk";
import { blobChecksumMismatch, blobNotFound, blobStoreFailure } from "./blob-errors.js";
import { hashingStream, verifiedStream } from "./checksum-stream.js";
import { DEFAULT_BLOB_MAX_AGE_MS, EXPIRES_AT_KEY, expiresAtFrom, isExpired } from "./expiry.js";
import { type JetStreamTarget, toJetStreamClient } from "./jetstream-target.js";
import type { SweepableBlobStore } from "./sweepable-blob-store.js";

/** Options of a {@link JetStreamBlobStore}. */
export interface JetStreamBlobStoreOptions {
  /** The NATS connection or JetStream client to use. The store never closes it. */
  connection: JetStreamTarget;
  /** Object-store bucket holding the blobs, one per integration or shared; created if missing. */
  bucket: string;
  /** Name recorded in every {@link BlobRef}. @default "jetstream" */
  name?: string;
  /**
   * Max age of the bucket's stream when the store creates it: NATS 2.9 cannot expire single
   * objects, so this is the safety net for blobs nobody sweeps. Puts with a longer TTL are
   * refused. An existing bucket keeps its own max age. @default DEFAULT_BLOB_MAX_AGE_MS (30 min)
   */
  maxAgeMs?: number;
  /** Storage of a bucket the store creates. @default "file" */
  storage?: "file" | "memory";
  /** Replicas of a bucket the store creates. @default 1 */
  replicas?: number;
}

interface OpenBucket {
  readonly os: ObjectStore;
  readonly jsm: JetStreamManager;
  readonly stream: string;
  /** Effective max age in ms; 0 means unlimited. */
  readonly maxAgeMs: number;
}

const NANOS_PER_MS = 1_000_000;
const CHUNK_BYTES = 512 * 1024;

/**
 * The default claim-check backend: blobs in a JetStream object store, so no service beyond NATS
 * is needed. Both directions stream: a put publishes chunks as they are read, a get fetches one
 * chunk at a time, so memory stays bounded whatever the size. The sha256 and size are verified
 * on every read; the expiry lives in the object's metadata and is enforced on read and by
 * {@link JetStreamBlobStore.sweep}.
 *
 * @example
 * ```ts
 * const store = new JetStreamBlobStore({ connection: nc, bucket: "int-orders-blobs" });
 * const ref = await store.put("msg-1", chunks, { ttlMs: 15 * 60_000 });
 * for await (const chunk of store.get(ref)) process(chunk);
 * ```
 */
export class JetStreamBlobStore implements SweepableBlobStore {
  /** Name recorded in every reference this store writes. */
  readonly name: string;
  /** The object-store bucket. */
  readonly bucket: string;
  readonly #js: JetStreamClient;
  readonly #options: JetStreamBlobStoreOptions;
  #opening: Promise<OpenBucket> | undefined;

  /**
   * @param options - connection, bucket and bucket settings; the bucket is opened (and created
   *   if missing) on first use
   */
  constructor(options: JetStreamBlobStoreOptions) {
    this.name = options.name ?? "jetstream";
    this.bucket = options.bucket;
    this.#js = toJetStreamClient(options.connection);
    this.#options = options;
  }

  /**
   * Streams a body into the bucket and returns its reference.
   * @param key - object name; an existing object of that name is replaced
   * @param body - the bytes, whole or as chunks
   * @param options - TTL (at most the bucket's max age), content type, abort signal
   * @throws RangeError if `ttlMs` is not positive or exceeds the bucket's max age
   * @throws RetryableError if NATS fails; partial chunks are purged
   */
  async put(
    key: string,
    body: Uint8Array | AsyncIterable<Uint8Array>,
    options: BlobPutOptions,
  ): Promise<BlobRef> {
    const expiresAt = expiresAtFrom(options.ttlMs).toISOString();
    const { signal } = options;
    signal?.throwIfAborted();
    const bucket = await this.#open();
    if (bucket.maxAgeMs > 0 && options.ttlMs > bucket.maxAgeMs) {
      throw new RangeError(
        `blob ttlMs ${options.ttlMs} exceeds the max age (${bucket.maxAgeMs} ms) of JetStream object-store ` +
          `bucket "${this.bucket}", which would drop the blob early; lower the claim-check TTL or raise ` +
          "the bucket's max age (maxAgeMs for a new bucket, `nats stream edit` for an existing one)",
      );
    }
    const hashed = hashingStream(body instanceof Uint8Array ? [body] : body, signal);
    const metadata: Record<string, string> = { [EXPIRES_AT_KEY]: expiresAt };
    if (options.contentType) metadata["content-type"] = options.contentType;
    try {
      // 512 KiB chunks (the client's default is 128 KiB): a quarter of the round trips per
      // blob, still well under NATS's default 1 MiB max payload.
      await bucket.os.put(
        { name: objectName(key), metadata, options: { max_chunk_size: CHUNK_BYTES } },
        toReadableStream(hashed.chunks),
      );
    } catch (error) {
      throw blobStoreFailure(
        `writing blob "${key}" to JetStream object-store bucket "${this.bucket}"`,
        "check that NATS is reachable and the account's JetStream storage limits are not exhausted",
        error,
        signal,
      );
    }
    const { sha256, size } = hashed.digest();
    return { store: this.name, key, size, sha256, expiresAt };
  }

  /**
   * Streams a body back one chunk at a time, verifying size and sha256.
   * @param ref - a reference written by this store
   * @param options - abort signal
   * @throws FatalError `BLOB_NOT_FOUND` if the ref has expired or the object is gone
   * @throws FatalError `BLOB_CHECKSUM_MISMATCH` if the bytes differ from the ref
   * @throws RetryableError if NATS fails
   */
  get(ref: BlobRef, options: BlobGetOptions = {}): AsyncIterable<Uint8Array> {
    return this.#read(ref, options.signal);
  }

  /**
   * Deletes a blob; a missing blob is not an error.
   * @param ref - the reference to delete
   * @throws RetryableError if NATS fails
   */
  async delete(ref: BlobRef): Promise<void> {
    await this.#delete(await this.#open(), objectName(ref.key));
  }

  /**
   * Deletes every blob whose recorded expiry is at or before `now`. Objects without an expiry
   * (not written by VRSky) are kept.
   * @param now - the reference time @default new Date()
   * @returns how many blobs were deleted
   */
  async sweep(now: Date = new Date()): Promise<number> {
    const bucket = await this.#open();
    let infos: ObjectInfo[];
    try {
      infos = await bucket.os.list();
    } catch (error) {
      throw blobStoreFailure(
        `listing JetStream object-store bucket "${this.bucket}"`,
        "check that NATS is reachable",
        error,
      );
    }
    let deleted = 0;
    for (const info of infos) {
      if (info.deleted || !isExpired(info.metadata?.[EXPIRES_AT_KEY], now)) continue;
      await this.#delete(bucket, info.name);
      deleted++;
    }
    return deleted;
  }

  /** Forgets the opened bucket; the connection stays open (the caller owns it). */
  async close(): Promise<void> {
    this.#opening = undefined;
  }

  async #delete(bucket: OpenBucket, key: string): Promise<void> {
    try {
      await bucket.os.delete(key);
    } catch (error) {
      throw blobStoreFailure(
        `deleting blob "${key}" from JetStream object-store bucket "${this.bucket}"`,
        "check that NATS is reachable",
        error,
      );
    }
  }

  async *#read(ref: BlobRef, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
    signal?.throwIfAborted();
    if (isExpired(ref.expiresAt)) throw blobNotFound(ref, `expired at ${ref.expiresAt}`);
    const where = `reading blob "${ref.key}" from JetStream object-store bucket "${this.bucket}"`;
    const fix = "check that NATS is reachable";
    let bucket: OpenBucket;
    let info: ObjectInfo | null;
    try {
      bucket = await this.#open();
      info = await bucket.os.info(objectName(ref.key));
    } catch (error) {
      throw blobStoreFailure(where, fix, error, signal);
    }
    if (info === null || info.deleted) throw blobNotFound(ref, "deleted or swept");
    if (info.options?.link) throw blobNotFound(ref, "the object is a link, which VRSky never writes");
    if (info.size !== ref.size) throw blobChecksumMismatch(ref, { size: info.size });
    try {
      yield* verifiedStream(ref, this.#chunks(bucket, info, ref), signal);
    } catch (error) {
      throw blobStoreFailure(where, fix, error, signal);
    }
  }

  /**
   * Fetches the object's chunks in order with direct gets. The object-store client's own `get`
   * pushes every chunk into an unbounded queue however slowly the reader consumes; one request
   * per chunk keeps exactly one chunk in flight.
   */
  async *#chunks(bucket: OpenBucket, info: ObjectInfo, ref: BlobRef): AsyncGenerator<Uint8Array> {
    const subject = `$O.${this.bucket}.C.${info.nuid}`;
    let seq = 0;
    let read = 0;
    while (read < info.size) {
      const msg = await bucket.jsm.direct.getMessage(bucket.stream, { seq: seq + 1, next_by_subj: subject });
      if (msg === null) throw blobNotFound(ref, "deleted or replaced while being read");
      seq = msg.seq;
      read += msg.data.byteLength;
      yield msg.data;
    }
  }

  #open(): Promise<OpenBucket> {
    if (!this.#opening) {
      this.#opening = this.#doOpen();
      // A failed open (NATS down) must not stick: the next call tries again.
      this.#opening.catch(() => {
        this.#opening = undefined;
      });
    }
    return this.#opening;
  }

  async #doOpen(): Promise<OpenBucket> {
    const maxAgeMs = this.#options.maxAgeMs ?? DEFAULT_BLOB_MAX_AGE_MS;
    try {
      const os = await new Objm(this.#js).create(this.bucket, {
        ttl: maxAgeMs * NANOS_PER_MS,
        storage: this.#options.storage === "memory" ? StorageType.Memory : StorageType.File,
        replicas: this.#options.replicas ?? 1,
      });
      const status = await os.status();
      const stream = status.streamInfo.config.name;
      if (!status.streamInfo.config.allow_direct) {
        throw new Error(
          `stream "${stream}" of JetStream object-store bucket "${this.bucket}" does not allow direct gets, ` +
            `which VRSky needs to stream blobs; run \`nats stream edit ${stream} --allow-direct\``,
        );
      }
      const jsm = await this.#js.jetstreamManager();
      return { os, jsm, stream, maxAgeMs: status.ttl / NANOS_PER_MS };
    } catch (error) {
      throw blobStoreFailure(
        `opening JetStream object-store bucket "${this.bucket}"`,
        "check that NATS is reachable with JetStream enabled and the account may create streams",
        error,
      );
    }
  }
}

/**
 * The object name for a key. The object-store client base64-encodes names with `btoa`, which
 * accepts only Latin-1, so anything outside printable ASCII (and `%` itself, to stay
 * unambiguous) is percent-encoded as UTF-8.
 */
function objectName(key: string): string {
  return key.replace(/[^\x20-\x7e]|%/gu, (char) =>
    [...Buffer.from(char, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

/**
 * A pull-driven ReadableStream over an async iterable: the object-store client reads a chunk
 * only when it has published the previous one, so nothing is read ahead.
 */
function toReadableStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
