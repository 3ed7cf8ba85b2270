import { createHash } from "node:crypto";
import type { BlobRef } from "@vrsky/sdk";
import { blobChecksumMismatch } from "./blob-errors.js";

/** What {@link hashingStream} learned once the stream has been read to the end. */
export interface StreamDigest {
  /** Hex sha256 of every byte that passed. */
  sha256: string;
  /** Number of bytes that passed. */
  size: number;
}

/**
 * Passes chunks through unchanged while hashing them, so a body is hashed as it streams and
 * is never held whole. `digest()` is valid once the returned iterable has been exhausted.
 *
 * @param source - the chunks
 * @param signal - stops between chunks when aborted, with the signal's reason
 * @example
 * ```ts
 * const hashed = hashingStream(body, signal);
 * await upload(hashed.chunks);
 * const { sha256, size } = hashed.digest();
 * ```
 */
export function hashingStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  signal?: AbortSignal,
): { chunks: AsyncIterable<Uint8Array>; digest(): StreamDigest } {
  const hash = createHash("sha256");
  let size = 0;
  let result: StreamDigest | undefined;
  async function* run(): AsyncGenerator<Uint8Array> {
    signal?.throwIfAborted();
    for await (const chunk of source) {
      signal?.throwIfAborted();
      hash.update(chunk);
      size += chunk.byteLength;
      yield chunk;
    }
    signal?.throwIfAborted();
    result = { sha256: hash.digest("hex"), size };
  }
  return {
    chunks: run(),
    digest(): StreamDigest {
      if (!result) throw new Error("hashingStream: digest() read before the stream was exhausted");
      return result;
    },
  };
}

/**
 * Hex sha256 of bytes held in memory.
 * @param bytes - the bytes
 */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Passes the chunks of a stored blob through, and throws a `FatalError` with code
 * `BLOB_CHECKSUM_MISMATCH` as soon as more bytes arrive than the reference records, or at the
 * end if the sha256 or size differ from it.
 *
 * @param ref - the reference the bytes must match
 * @param source - the bytes read from the store
 * @param signal - stops between chunks when aborted
 */
export async function* verifiedStream(
  ref: BlobRef,
  source: AsyncIterable<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const hashed = hashingStream(source, signal);
  let size = 0;
  for await (const chunk of hashed.chunks) {
    size += chunk.byteLength;
    // A tampered object may be far larger than the reference says: stop before passing on bytes
    // that cannot belong to the body rather than streaming the whole object.
    if (size > ref.size) throw blobChecksumMismatch(ref, { size });
    yield chunk;
  }
  const actual = hashed.digest();
  if (actual.sha256 !== ref.sha256 || actual.size !== ref.size) throw blobChecksumMismatch(ref, actual);
}
