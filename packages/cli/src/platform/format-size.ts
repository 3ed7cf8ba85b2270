/**
 * A byte count for people: bytes below 1 KiB, else KiB with one decimal, else MiB.
 * @param bytes - the size
 * @example
 * ```ts
 * formatSize(764774); // "746.8 KiB"
 * ```
 */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
