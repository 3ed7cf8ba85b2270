import type { BlobRef } from "@vrsky/sdk";
import { ErrorCode, FatalError, RetryableError, VrskyError } from "@vrsky/sdk";

/**
 * The error every blob store raises when a blob is gone: deleted, swept, or past its
 * `expires-at` but not yet swept. The message names the store and key, never the body.
 *
 * @param ref - the reference that could not be read
 * @param reason - why it is gone, e.g. `"expired at 2025-01-01T00:00:00.000Z"`
 * @param cause - the underlying error, if any
 */
export function blobNotFound(ref: BlobRef, reason: string, cause?: unknown): FatalError {
  return new FatalError(
    `blob "${ref.key}" in the ${ref.store} blob store is gone (${reason}); the message must be re-sent ` +
      "by its source, or raise the claim-check TTL if sinks routinely take longer to deliver",
    { code: ErrorCode.BlobNotFound, cause },
  );
}

/**
 * The error every blob store raises when the bytes read do not match the reference.
 *
 * @param ref - the reference whose checksum or size did not match
 * @param actual - the size read and, when the whole body was read, its hex sha256
 */
export function blobChecksumMismatch(ref: BlobRef, actual: { size: number; sha256?: string }): FatalError {
  const read =
    actual.sha256 === undefined
      ? `read more than ${ref.size} bytes (at least ${actual.size})`
      : `read ${actual.size} bytes with sha256 ${actual.sha256}`;
  return new FatalError(
    `blob "${ref.key}" in the ${ref.store} blob store is corrupt: expected ${ref.size} bytes with sha256 ` +
      `${ref.sha256}, ${read}; the stored object was changed outside VRSky — the message must be ` +
      "re-sent by its source",
    { code: ErrorCode.BlobChecksumMismatch },
  );
}

/**
 * Turns a failure of the storage service itself (network, timeout, 5xx, missing bucket) into a
 * {@link RetryableError}, so the message is retried rather than dead-lettered. VRSky errors pass
 * through unchanged, and when `signal` is aborted the caller's abort reason is returned instead.
 *
 * @param action - what was being done, e.g. `reading blob "k" from the s3 blob store`
 * @param fix - how an operator can fix it, e.g. `check that NATS is reachable`
 * @param cause - the error the client library threw
 * @param signal - the caller's signal, if any
 * @returns the value to throw
 */
export function blobStoreFailure(action: string, fix: string, cause: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (cause instanceof VrskyError) return cause;
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new RetryableError(`${action} failed (${detail}); ${fix}`, { cause });
}

/**
 * The error raised when a reference names a blob store this runtime does not have.
 *
 * @param ref - the reference that could not be dispatched
 * @param known - the names of the configured stores
 */
export function unknownBlobStore(ref: BlobRef, known: readonly string[]): FatalError {
  const list = known.length === 0 ? "none" : known.map((n) => `"${n}"`).join(", ");
  return new FatalError(
    `blob "${ref.key}" names blob store "${ref.store}", which this runtime does not have ` +
      `(configured: ${list}); configure a blob store named "${ref.store}" for this integration`,
    { code: ErrorCode.BlobNotFound },
  );
}
