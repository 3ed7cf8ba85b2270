import { Args, Flags } from "@oclif/core";
import { parseDuration } from "@vrsky/runtime";
import { CliError, CliErrorCode } from "../cli-error.js";
import { INTEGRATION_NAME } from "./integrations-api.js";

/**
 * The `<name>` argument of the `vrsky integrations` commands, checked against the API's naming
 * rule before any call.
 */
export const integrationNameArg = Args.string({
  description: "The integration's name (its spec's `name`).",
  required: true,
  parse: async (input) => {
    if (!INTEGRATION_NAME.test(input)) {
      throw new CliError(
        CliErrorCode.InvalidInput,
        `invalid integration name "${input}": names are lower-case letters, digits and dashes, starting with a letter`,
        { suggestions: ["`vrsky integrations list` shows yours"] },
      );
    }
    return input;
  },
});

// Flags are parsed to numbers in `run()` rather than by oclif, whose parse errors lose their
// code (exit 1, "UNEXPECTED") and gain a "Parsing --flag" preamble.

/**
 * A duration flag written as `60s`, `2m` or `500ms`; read it with {@link parseDurationFlag}.
 * @param options - the description and the default as written, e.g. `60s`
 */
export function durationFlag(options: { description: string; default: string }) {
  return Flags.string({
    description: options.description,
    helpValue: "<duration>",
    default: options.default,
  });
}

/**
 * Milliseconds of a duration flag's value.
 * @param flag - the flag as written, e.g. `--timeout`
 * @param value - its value
 * @throws CliError `INVALID_INPUT` saying what a duration looks like
 */
export function parseDurationFlag(flag: string, value: string): number {
  try {
    return parseDuration(value.trim());
  } catch (error) {
    throw new CliError(
      CliErrorCode.InvalidInput,
      `invalid ${flag} "${value}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * A version number as written to a flag: `2` or `v2`.
 * @param flag - the flag as written, e.g. `--to`
 * @param value - its value
 * @throws CliError `INVALID_INPUT` when it is not a positive whole number
 */
export function parseVersionFlag(flag: string, value: string): number {
  const match = /^v?(\d+)$/i.exec(value.trim());
  const version = Number(match?.[1] ?? Number.NaN);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new CliError(
      CliErrorCode.InvalidInput,
      `invalid ${flag} "${value}": expected a version number such as 2 (or v2)`,
    );
  }
  return version;
}

/**
 * A duration for people: `250ms`, `2s`, `1.5s`, `2m`, `1m30s`.
 * @param ms - milliseconds
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}
