import { z } from "zod";

/**
 * A claim-check reference: where a large body lives and how to check it. The envelope carries
 * this instead of the bytes.
 */
export const BlobRef = z.object({
  /** Name of the blob store that holds the body, e.g. `jetstream` or `s3`. */
  store: z.string().min(1),
  /** Key of the blob inside that store. */
  key: z.string().min(1),
  /** Size of the body in bytes. */
  size: z.number().int().nonnegative(),
  /** Hex sha256 of the body, verified on every read. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** When the blob may be swept, as an ISO-8601 timestamp. */
  expiresAt: z.string().datetime(),
});
/** A claim-check reference. */
export type BlobRef = z.infer<typeof BlobRef>;

/** Options for {@link BlobStore.put}. */
export interface BlobPutOptions {
  /** How long the blob must live at least, in milliseconds. */
  ttlMs: number;
  /** MIME type of the body, stored alongside for operators. */
  contentType?: string;
  /** Stops the upload promptly when aborted. */
  signal?: AbortSignal;
}

/** Options for {@link BlobStore.get}. */
export interface BlobGetOptions {
  /** Stops the download promptly when aborted. */
  signal?: AbortSignal;
}

/**
 * Object storage for claim-check bodies. Implementations stream in both directions so memory
 * stays bounded whatever the size, and verify the sha256 on read.
 */
export interface BlobStore {
  /** Name recorded in every {@link BlobRef} this store writes. */
  readonly name: string;
  /**
   * Stores a body and returns its reference.
   * @param key - unique key for the blob
   * @param body - the bytes, whole or as a stream of chunks
   * @param options - TTL, content type, abort signal
   */
  put(key: string, body: Uint8Array | AsyncIterable<Uint8Array>, options: BlobPutOptions): Promise<BlobRef>;
  /**
   * Streams a body back. The iterator throws a {@link FatalError} with code
   * `BLOB_CHECKSUM_MISMATCH` at the end if the bytes do not match `ref.sha256`, and with code
   * `BLOB_NOT_FOUND` if the blob is gone.
   * @param ref - the reference written by {@link BlobStore.put}
   */
  get(ref: BlobRef, options?: BlobGetOptions): AsyncIterable<Uint8Array>;
  /**
   * Deletes a blob. Deleting a missing blob is not an error.
   * @param ref - the reference to delete
   */
  delete(ref: BlobRef): Promise<void>;
}
