import { type Level, type LevelWithSilent, pino } from "pino";
import type { Logger } from "../context.js";

/** One log line a handler wrote, as pino would print it, parsed. */
export interface LogRecord {
  /** Level name: `"info"`, `"warn"`, … */
  level: Level;
  /** Epoch milliseconds. */
  time: number;
  /** The message, if one was given. */
  msg?: string;
  /** Bindings (tenant, integration, step, connector) and the logged object's fields. */
  [field: string]: unknown;
}

/**
 * A pino logger whose lines are parsed into `records` instead of printed, so tests can assert
 * on what a handler logged.
 *
 * @param bindings - fields every record carries
 * @param level - the lowest level captured @default "trace"
 * @example
 * ```ts
 * const { logger, records } = captureLogs({ step: "sink" });
 * logger.warn({ status: 503 }, "retrying");
 * records[0]; // { level: "warn", status: 503, msg: "retrying", step: "sink", time: … }
 * ```
 */
export function captureLogs(
  bindings: Record<string, string> = {},
  level: LevelWithSilent = "trace",
): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = pino(
    { level, base: bindings, formatters: { level: (label) => ({ level: label }) } },
    { write: (line: string) => records.push(JSON.parse(line) as LogRecord) },
  );
  return { logger, records };
}
