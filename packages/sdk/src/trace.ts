import { randomBytes } from "node:crypto";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

// Ids are cut from a pool of random bytes: one call into the CSPRNG per 170 traces instead of
// two per trace (that call dominated the runtime's per-message cost). `randomUUID` does the same.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

function randomHex(bytes: number): string {
  if (used + bytes > pool.byteLength) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  const hex = pool.toString("hex", used, used + bytes);
  used += bytes;
  return hex;
}

/**
 * Starts a new W3C trace: a `traceparent` with a fresh trace id and span id, sampled.
 *
 * @returns a `traceparent` header value, e.g. `00-4bf92f35…-00f067aa0ba902b7-01`
 */
export function newTraceparent(): string {
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}

/**
 * Continues a W3C trace: same trace id and flags, new span id. A missing or malformed parent
 * starts a new trace rather than failing, since trace context is advisory.
 *
 * @param parent - the incoming `traceparent`, if any
 * @returns the `traceparent` for the child span
 */
export function childTraceparent(parent: string | undefined): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  if (!match) return newTraceparent();
  return `00-${match[1]}-${randomHex(8)}-${match[3]}`;
}

/**
 * Whether `value` is a well-formed version-00 W3C `traceparent`.
 * @param value - the header value to check
 */
export function isTraceparent(value: string): boolean {
  return TRACEPARENT.test(value);
}
