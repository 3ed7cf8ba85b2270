import { z } from "@vrsky/sdk";

const LSN = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;

/** A Postgres WAL position as Postgres writes it: two hex numbers, `16/B374D848`. */
export const Lsn = z.string().regex(LSN, "expected a WAL position such as `16/B374D848`");
/** A WAL position string. */
export type Lsn = z.infer<typeof Lsn>;

/**
 * A WAL position as a number, for comparing and arithmetic.
 * @param lsn - e.g. `16/B374D848` (upper or lower case, padded or not)
 * @throws RangeError if the text is not a WAL position
 */
export function parseLsn(lsn: string): bigint {
  if (!LSN.test(lsn)) throw new RangeError(`not a WAL position: ${lsn}`);
  const [high = "0", low = "0"] = lsn.split("/");
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

/**
 * A WAL position in Postgres's own notation (upper-case hex, no padding), so the same position
 * always gives the same text, e.g. in message keys.
 * @param position - a WAL position as a number
 */
export function formatLsn(position: bigint): string {
  const high = position >> 32n;
  const low = position & 0xffffffffn;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

/**
 * Normalises a WAL position's text (`00000000/016B3748` → `0/16B3748`).
 * @param lsn - a WAL position
 */
export function normalizeLsn(lsn: string): string {
  return formatLsn(parseLsn(lsn));
}

/**
 * The later of two WAL positions.
 * @param a - a WAL position
 * @param b - another
 */
export function maxLsn(a: string, b: string): string {
  return parseLsn(a) >= parseLsn(b) ? normalizeLsn(a) : normalizeLsn(b);
}

/**
 * The position one byte before `lsn`. pg-logical-replication's `acknowledge(lsn)` reports
 * `lsn + 1` as flushed; passing `lsn - 1` reports exactly `lsn`, the end of the last accepted
 * transaction, so a transaction whose commit record starts right there is not skipped on restart.
 * @param lsn - a WAL position greater than 0/0
 */
export function previousLsn(lsn: string): string {
  const position = parseLsn(lsn);
  return formatLsn(position > 0n ? position - 1n : 0n);
}
