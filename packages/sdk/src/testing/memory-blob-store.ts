import { createHash } from "node:crypto";
import type { BlobGetOptions, BlobPutOptions, BlobRef, BlobStore } from "../blob.js";
import { ErrorCode, FatalError } from "../errors.js";

/** Options of a {@link MemoryBlobStore}. */
export interface MemoryBlobStoreOptions {
  /** Name written into every reference. @default "memory" */
  name?: string;
  /** The clock used for TTLs, so tests can expire blobs without waiting. @default () => new Date() */
  now?: () => Date;
  /** Size of the chunks `get` streams, in bytes. @default 65536 */
  chunkSize?: number;
}

interface StoredBlob {
  bytes: Uint8Array;
  expiresAt: Date;
  contentType: string | undefined;
}

/**
 * A {@link BlobStore} kept in memory, for tests. It behaves like the runtime's stores: `put`
 * hashes the body as it streams in and records an expiry from the TTL; `get` streams the body
 * in chunks and fails with `BLOB_NOT_FOUND` once it is deleted or expired, and with
 * `BLOB_CHECKSUM_MISMATCH` if the bytes no longer match the reference.
 *
 * @example
 * ```ts
 * let now = new Date("2030-01-01T00:00:00Z");
 * const blobs = new MemoryBlobStore({ now: () => now });
 * const ref = await blobs.put("k", bytes, { ttlMs: 1000 });
 * now = new Date(now.getTime() + 1000); // reading ref now fails with BLOB_NOT_FOUND
 * ```
 */
export class MemoryBlobStore implements BlobStore {
  /** Name recorded in every reference this store writes. */
  readonly name: string;
  readonly #blobs = new Map<string, StoredBlob>();
  readonly #now: () => Date;
  readonly #chunkSize: number;

  /** @param options - name, clock and chunk size */
  constructor(options: MemoryBlobStoreOptions = {}) {
    this.name = options.name ?? "memory";
    this.#now = options.now ?? (() => new Date());
    this.#chunkSize = options.chunkSize ?? 64 * 1024;
  }

  /**
   * Stores a body and returns its reference; a blob already at `key` is replaced.
   * @param key - unique key for the blob
   * @param body - the bytes, whole or as a stream of chunks
   * @param options - TTL (required, positive), content type, abort signal
   * @throws RangeError if `ttlMs` is not a positive number
   * @throws the signal's reason if aborted while reading the body
   */
  async put(
    key: string,
    body: Uint8Array | AsyncIterable<Uint8Array>,
    options: BlobPutOptions,
  ): Promise<BlobRef> {
    if (!Number.isFinite(options.ttlMs) || options.ttlMs <= 0) {
      throw new RangeError(`blob ttlMs must be a positive number of milliseconds, got ${options.ttlMs}`);
    }
    options.signal?.throwIfAborted();
    const chunks: Uint8Array[] = [];
    if (body instanceof Uint8Array) chunks.push(body.slice());
    else {
      for await (const chunk of body) {
        options.signal?.throwIfAborted();
        chunks.push(chunk.slice());
      }
    }
    const bytes = concat(chunks);
    const expiresAt = new Date(this.#now().getTime() + options.ttlMs);
    this.#blobs.set(key, { bytes, expiresAt, contentType: options.contentType });
    return {
      store: this.name,
      key,
      size: bytes.byteLength,
      sha256: sha256(bytes),
      expiresAt: expiresAt.toISOString(),
    };
  }

  /**
   * Streams a body back in chunks, then verifies it against the reference.
   * @param ref - a reference written by {@link MemoryBlobStore.put}
   * @param options - abort signal
   * @throws FatalError `BLOB_NOT_FOUND` if the blob was deleted or has expired
   * @throws FatalError `BLOB_CHECKSUM_MISMATCH` (after the last chunk) if the bytes do not match
   */
  get(ref: BlobRef, options: BlobGetOptions = {}): AsyncIterable<Uint8Array> {
    return this.#read(ref, options.signal);
  }

  async *#read(ref: BlobRef, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
    signal?.throwIfAborted();
    const blob = this.#blobs.get(ref.key);
    if (!blob) throw gone(ref, "it was deleted or never written");
    if (blob.expiresAt.getTime() <= this.#now().getTime()) {
      throw gone(ref, `it expired at ${blob.expiresAt.toISOString()}`);
    }
    for (let offset = 0; offset < blob.bytes.byteLength; offset += this.#chunkSize) {
      signal?.throwIfAborted();
      yield blob.bytes.slice(offset, offset + this.#chunkSize);
    }
    const actual = sha256(blob.bytes);
    if (actual !== ref.sha256 || blob.bytes.byteLength !== ref.size) {
      throw new FatalError(
        `blob "${ref.key}" in the ${this.name} blob store is corrupt: expected ${ref.size} bytes with sha256 ` +
          `${ref.sha256}, read ${blob.bytes.byteLength} bytes with sha256 ${actual}; the message must be re-sent`,
        { code: ErrorCode.BlobChecksumMismatch },
      );
    }
  }

  /**
   * Deletes a blob. Deleting a missing blob is not an error.
   * @param ref - the reference to delete
   */
  async delete(ref: BlobRef): Promise<void> {
    this.#blobs.delete(ref.key);
  }

  /** Keys of the blobs stored (expired ones included until deleted), in write order. */
  keys(): string[] {
    return [...this.#blobs.keys()];
  }

  /**
   * Replaces the stored bytes of a blob without updating its reference, so tests can exercise
   * the checksum check.
   * @param key - key of a stored blob
   * @param bytes - the new content
   * @throws FatalError `BLOB_NOT_FOUND` if no blob is stored at `key`
   */
  tamper(key: string, bytes: Uint8Array): void {
    const blob = this.#blobs.get(key);
    if (!blob) {
      throw new FatalError(`no blob "${key}" in the ${this.name} blob store to tamper with`, {
        code: ErrorCode.BlobNotFound,
      });
    }
    blob.bytes = bytes.slice();
  }
}

function gone(ref: BlobRef, reason: string): FatalError {
  return new FatalError(
    `blob "${ref.key}" in the ${ref.store} blob store is gone (${reason}); the message must be re-sent by its source`,
    { code: ErrorCode.BlobNotFound },
  );
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
