/**
 * An API timestamp for people and tables: `2025-01-31 12:00:00` (UTC, to the second).
 * @param iso - an ISO 8601 timestamp as the API sends it
 * @example
 * ```ts
 * formatTime("2025-01-31T12:00:00.123Z"); // "2025-01-31 12:00:00"
 * ```
 */
export function formatTime(iso: string): string {
  return iso.slice(0, 19).replace("T", " ");
}
