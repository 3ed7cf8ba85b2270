/**
 * Reads an HTTP `Retry-After` header (RFC 9110 §10.2.3): either a number of seconds or an HTTP
 * date. Returns how long to wait in milliseconds, `0` for a date in the past, or `undefined`
 * when the header is missing or malformed (the caller then falls back to its own backoff).
 *
 * @param value - the header value, or `null` when absent
 * @param now - the current time, for HTTP dates @default `Date.now()`
 * @example
 * ```ts
 * parseRetryAfter("120"); // 120000
 * parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:00 GMT")); // 60000
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only a real date, not any string Date.parse happens to accept ("1.5", "soon").
  if (!/^[A-Za-z]{3},? /.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Formats a delay for a `Retry-After` response header: whole seconds, rounded up, at least 1.
 * @param ms - the delay in milliseconds; `undefined` gives the minimum
 */
export function formatRetryAfter(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return "1";
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
