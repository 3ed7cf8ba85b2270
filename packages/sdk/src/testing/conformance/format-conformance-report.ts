import type { ConformanceReport } from "./conformance-report.js";

/**
 * Renders a report as plain text, one line per check and the reason under each failed or
 * skipped one.
 *
 * @param report - from {@link checkConformance}
 * @example
 * ```text
 * ticker (consumer): 3 passed, 1 failed
 *   ✓ manifest is complete
 *   ✗ starts, stops and restarts cleanly without leaking handles or timers
 *       after the first run and close(), handles are still active 1000 ms later (Timeout 0 → 1): …
 * ```
 */
export function formatConformanceReport(report: ConformanceReport): string {
  const failed = report.checks.filter((c) => !c.ok).length;
  const skipped = report.checks.filter((c) => c.skipped).length;
  const passed = report.checks.length - failed - skipped;
  const counts = [
    `${passed} passed`,
    ...(failed ? [`${failed} failed`] : []),
    ...(skipped ? [`${skipped} skipped`] : []),
  ];
  const lines = [`${report.connector} (${report.kind}): ${counts.join(", ")}`];
  for (const check of report.checks) {
    const mark = !check.ok ? "✗" : check.skipped ? "-" : "✓";
    lines.push(`  ${mark} ${check.name}${check.skipped ? " (skipped)" : ""}`);
    if (check.message) for (const line of check.message.split("\n")) lines.push(`      ${line}`);
  }
  return lines.join("\n");
}
