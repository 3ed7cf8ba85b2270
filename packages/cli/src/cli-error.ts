import { ExitCode } from "./exit-code.js";
import type { FailureIssue } from "./failure.js";

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
  /** No platform credentials: no profile, and VRSKY_API_URL / VRSKY_API_KEY unset. */
  NotLoggedIn: "NOT_LOGGED_IN",
  /** The platform refused the API key: unknown, revoked, lacking a scope, or its tenant suspended. */
  KeyRejected: "KEY_REJECTED",
  /** The registry already has this connector version; published versions are immutable. */
  VersionExists: "VERSION_EXISTS",
  /** The public connector name belongs to another tenant. */
  NameTaken: "NAME_TAKEN",
  /** A minor or patch release changes the config schema incompatibly; `issues` lists each change. */
  BreakingChange: "BREAKING_CHANGE",
  /** The tenant's plan does not allow this (more integrations, more messages today). */
  QuotaExceeded: "QUOTA_EXCEEDED",
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
  NOT_LOGGED_IN: ExitCode.NotLoggedIn,
  KEY_REJECTED: ExitCode.NotLoggedIn,
  VERSION_EXISTS: ExitCode.InvalidInput,
  NAME_TAKEN: ExitCode.InvalidInput,
  BREAKING_CHANGE: ExitCode.InvalidInput,
  QUOTA_EXCEEDED: ExitCode.Failure,
});

/** Options of a {@link CliError}. */
export interface CliErrorOptions {
  /** What the user can do next, e.g. "run `vrsky doctor`". @default [] */
  suggestions?: readonly string[];
  /** The underlying error, shown with `--verbose`. */
  cause?: unknown;
  /** Each problem, when there are several (e.g. the changes of a breaking release). @default [] */
  issues?: readonly FailureIssue[];
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
  /** Each problem, listed under the message. */
  readonly issues: readonly FailureIssue[];

  /**
   * @param code - one of {@link CliErrorCode}; decides the exit code
   * @param message - what failed, where, and how to fix it
   * @param options - suggestions, issues and cause
   */
  constructor(code: CliErrorCode, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.code = code;
    this.suggestions = options.suggestions ?? [];
    this.issues = options.issues ?? [];
  }

  /** The exit code this error ends the process with. */
  get exitCode(): ExitCode {
    return EXIT_CODE_OF[this.code];
  }
}
