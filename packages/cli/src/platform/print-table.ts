import type { TerminalStyle } from "../terminal-style.js";

/**
 * Prints rows as aligned columns under a bold header; the last column is not padded, so long
 * descriptions do not add trailing spaces.
 *
 * @param out - where lines go (a command's `log`)
 * @param style - stdout's styles
 * @param header - column titles
 * @param rows - cells, one array per row, as many as the header
 * @example
 * ```ts
 * printTable(this, this.out, ["NAME", "KIND"], [["shout", "converter"]]);
 * ```
 */
export function printTable(
  out: { log(message: string): void },
  style: TerminalStyle,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ");
  out.log(style.bold(line(header)));
  for (const row of rows) out.log(line(row));
}
