/** How long a claim-check blob lives unless told otherwise: 15 minutes. */
export const DEFAULT_BLOB_TTL_MS = 15 * 60 * 1000;

/**
 * How long a backend keeps any blob at most, as a safety net for blobs nobody sweeps or
 * releases: twice the default TTL. Raise it if an integration uses a longer TTL.
 */
export const DEFAULT_BLOB_MAX_AGE_MS = 2 * DEFAULT_BLOB_TTL_MS;

/**
 * Metadata key holding a blob's expiry (ISO-8601). Neither the NATS 2.9 object store nor
 * s3rver can expire single objects, so every store records it and checks it on read and sweep.
 */
export const EXPIRES_AT_KEY = "expires-at";

/**
 * The expiry of a blob written now with the given TTL.
 * @param ttlMs - time to live in milliseconds; must be positive
 * @param now - the current time
 * @throws RangeError if `ttlMs` is not a positive finite number
 */
export function expiresAtFrom(ttlMs: number, now: Date = new Date()): Date {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`blob ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return new Date(now.getTime() + ttlMs);
}

/**
 * Whether a blob with the recorded expiry has expired. A missing or unparseable expiry
 * counts as not expired: a blob VRSky did not write is never swept by VRSky.
 *
 * @param expiresAt - the recorded `expires-at` value, if any
 * @param now - the current time
 */
export function isExpired(expiresAt: string | undefined, now: Date = new Date()): boolean {
  if (expiresAt === undefined) return false;
  const at = Date.parse(expiresAt);
  return !Number.isNaN(at) && at <= now.getTime();
}
