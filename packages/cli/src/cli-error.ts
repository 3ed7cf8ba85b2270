import { ExitCode } from "./exit-code.js";

/** The closed set of error codes the CLI reports (in `--json` output as `error.code`). */
export const CliErrorCode = {
  /** A flag or argument is missing or wrong. */
  InvalidInput: "INVALID_INPUT",
  /** A config, spec or vrsky.json file is invalid; `issues` lists every problem. */
  ConfigInvalid: "CONFIG_INVALID",
  /** A file, project or connector the command needs is not there. */
  NotFound: "NOT_FOUND",
  /** The command ran and its work failed (tests, checks, a build). */
  Failed: "FAILED",
  /** A service could not be reached or started. */
  ServiceUnavailable: "SERVICE_UNAVAILABLE",
  /** A bug: something failed that the CLI did not expect. */
  Unexpected: "UNEXPECTED",
} as const;
/** One of {@link CliErrorCode}. */
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

/** The exit code each error code ends the process with. */
export const EXIT_CODE_OF: Readonly<Record<CliErrorCode, ExitCode>> = Object.freeze({
  INVALID_INPUT: ExitCode.InvalidInput,
  CONFIG_INVALID: ExitCode.InvalidInput,
  NOT_FOUND: ExitCode.InvalidInput,
  FAILED: ExitCode.Failure,
  SERVICE_UNAVAILABLE: ExitCode.ServiceUnavailable,
  UNEXPECTED: ExitCode.Failure,
});

/** Options of a {@link CliError}. */
export interface CliErrorOptions {
  /** What the user can do next, e.g. "run `vrsky doctor`". @default [] */
  suggestions?: readonly string[];
  /** The underlying error, shown with `--verbose`. */
  cause?: unknown;
}

/**
 * An error a command reports to the user: a code, a message saying what failed and where, and
 * suggestions. Printed without a stack trace unless `--verbose`.
 *
 * @example
 * ```ts
 * throw new CliError("NOT_FOUND", `no vrsky.json in ${dir}`, {
 *   suggestions: ["run `vrsky init connector <name>` to create a project"],
 * });
 * ```
 */
export class CliError extends Error {
  /** Machine-readable code. */
  readonly code: CliErrorCode;
  /** What the user can do next. */
  readonly suggestions: readonly string[];

  /**
   * @param code - one of {@link CliErrorCode}; decides the exit code
   * @param message - what failed, where, and how to fix it
   * @param options - suggestions and cause
   */
  constructor(code: CliErrorCode, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.code = code;
    this.suggestions = options.suggestions ?? [];
  }

  /** The exit code this error ends the process with. */
  get exitCode(): ExitCode {
    return EXIT_CODE_OF[this.code];
  }
}
