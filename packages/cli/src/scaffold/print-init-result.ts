import type { TerminalStyle } from "../terminal-style.js";
import type { InitResult } from "./scaffold-project.js";

/**
 * Prints what `vrsky init` created and what to run next.
 * @param logger - the command (its `log` is silent with `--json`)
 * @param style - stdout styles
 * @param result - what was created
 * @param what - e.g. "converter connector"
 */
export function printInitResult(
  logger: { log(message?: string): void },
  style: TerminalStyle,
  result: InitResult,
  what: string,
): void {
  logger.log(`${style.green("✓")} Created ${style.bold(result.name)} (${what}) in ${result.directory}`);
  for (const file of result.files) logger.log(`    ${style.dim(file)}`);
  logger.log("");
  logger.log("Next:");
  for (const command of result.next) logger.log(`  ${command}`);
}
