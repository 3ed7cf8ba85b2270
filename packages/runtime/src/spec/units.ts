import { z } from "zod";

const DURATION_UNITS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const SIZE_UNITS = {
  B: 1,
  KB: 1_000,
  kB: 1_000,
  MB: 1_000_000,
  GB: 1_000_000_000,
  KiB: 1_024,
  MiB: 1_048_576,
  GiB: 1_073_741_824,
} as const;

const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB|KiB|MiB|GiB)$/;

/** What a duration looks like; the message of every duration error. */
export const DURATION_HINT = "expected a duration such as 15m, 30s or 250ms (units: ms, s, m, h, d)";
/** What a size looks like; the message of every size error. */
export const SIZE_HINT = "expected a size such as 256KiB, 1MB or 1GiB (units: B, KB, MB, GB, KiB, MiB, GiB)";

/**
 * Converts a duration to milliseconds.
 *
 * @param value - a string with one unit (`250ms`, `30s`, `15m`, `2h`, `7d`, `1.5s`) or a
 *   non-negative number of milliseconds
 * @returns whole milliseconds
 * @throws RangeError when the value is not a duration
 * @example
 * ```ts
 * parseDuration("15m"); // 900000
 * parseDuration(250);   // 250
 * ```
 */
export function parseDuration(value: string | number): number {
  const ms = toMilliseconds(value);
  if (ms === undefined) throw new RangeError(DURATION_HINT);
  return ms;
}

/**
 * Converts a size to bytes. `KB`/`MB`/`GB` are powers of 1000, `KiB`/`MiB`/`GiB` powers of 1024.
 *
 * @param value - a string with one unit (`256KiB`, `1MB`, `1GiB`, `512B`) or a non-negative
 *   number of bytes
 * @returns whole bytes
 * @throws RangeError when the value is not a size
 * @example
 * ```ts
 * parseSize("256KiB"); // 262144
 * ```
 */
export function parseSize(value: string | number): number {
  const bytes = toBytes(value);
  if (bytes === undefined) throw new RangeError(SIZE_HINT);
  return bytes;
}

/**
 * zod schema of a duration as a user writes it (`"15m"` or milliseconds); parses to whole
 * milliseconds.
 * @example
 * ```ts
 * z.object({ ttl: Duration }).parse({ ttl: "15m" }); // { ttl: 900000 }
 * ```
 */
export const Duration = quantity(DURATION_HINT, toMilliseconds);
/** A duration as written (input) — `"15m"` or milliseconds. */
export type DurationInput = z.input<typeof Duration>;

/**
 * zod schema of a size as a user writes it (`"256KiB"` or bytes); parses to whole bytes.
 * @example
 * ```ts
 * z.object({ threshold: Size }).parse({ threshold: "1MiB" }); // { threshold: 1048576 }
 * ```
 */
export const Size = quantity(SIZE_HINT, toBytes);
/** A size as written (input) — `"256KiB"` or bytes. */
export type SizeInput = z.input<typeof Size>;

// Not z.custom: its failure aborts the whole parse, which would hide the spec's cross checks.
function quantity(hint: string, convert: (value: unknown) => number | undefined) {
  return z
    .union([z.string(), z.number()], { error: hint })
    .superRefine((value, ctx) => {
      if (convert(value) === undefined) ctx.addIssue({ code: "custom", message: hint });
    })
    .transform((value) => convert(value) ?? 0);
}

function toMilliseconds(value: unknown): number | undefined {
  return toQuantity(value, DURATION_PATTERN, DURATION_UNITS);
}

function toBytes(value: unknown): number | undefined {
  return toQuantity(value, SIZE_PATTERN, SIZE_UNITS);
}

function toQuantity(value: unknown, pattern: RegExp, units: Record<string, number>): number | undefined {
  if (typeof value === "number") {
    return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  }
  if (typeof value !== "string") return undefined;
  const match = pattern.exec(value.trim());
  const factor = match?.[2] === undefined ? undefined : units[match[2]];
  if (match?.[1] === undefined || factor === undefined) return undefined;
  const result = Math.round(Number(match[1]) * factor);
  return Number.isSafeInteger(result) ? result : undefined;
}
