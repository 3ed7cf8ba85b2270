import { CliError, CliErrorCode, EXIT_CODE_OF } from "./cli-error.js";
import type { ExitCode } from "./exit-code.js";

/** One problem of an invalid config, as reported to the user. */
export interface FailureIssue {
  /** Dotted field path, `(root)` for the whole document. */
  path: string;
  /** What is wrong. */
  message: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

/** How a failed command reports its error: the `error` object of `--json` output. */
export interface Failure {
  /** Machine-readable code. */
  code: CliErrorCode;
  /** What failed and where. */
  message: string;
  /** The process's exit code. */
  exitCode: ExitCode;
  /** What the user can do next. */
  suggestions: string[];
  /** Every problem of an invalid config. */
  issues?: FailureIssue[];
  /** Where the invalid config came from. */
  where?: string;
}

const DOCTOR = "run `vrsky doctor` to see which services are available and how to get the others";

/**
 * Turns anything a command threw into the failure reported to the user. User errors (flags,
 * configs, missing files, services) keep their message; anything else is a bug, reported as
 * `UNEXPECTED` with a hint to re-run with `--verbose`.
 *
 * @param error - what the command threw
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) {
    const reported = failure(error.code, error.message, [...error.suggestions]);
    return error.issues.length === 0
      ? reported
      : { ...reported, issues: error.issues.map((i) => ({ ...i })) };
  }
  const named = error instanceof Error ? error : undefined;
  // Errors are matched by name, not class: a connector built against another copy of the SDK
  // throws its own ConfigError class.
  const fields = (named ?? {}) as { issues?: unknown; where?: unknown };
  if (named?.name === "ConfigError" && isIssueList(fields.issues)) {
    const where = typeof fields.where === "string" ? fields.where : undefined;
    const issues = fields.issues.map((i) => ({
      path: i.path || "(root)",
      message: i.message,
      ...(typeof i.line === "number" ? { line: i.line } : {}),
    }));
    const head = `Invalid config${where ? ` in ${where}` : ""}: ${issues.length} problem${issues.length === 1 ? "" : "s"}`;
    return {
      ...failure(CliErrorCode.ConfigInvalid, head, ["fix each problem listed, then re-run"]),
      issues,
      ...(where ? { where } : {}),
    };
  }
  if (named?.name === "ServiceUnavailableError") {
    return failure(CliErrorCode.ServiceUnavailable, named.message, [DOCTOR]);
  }
  if (named?.name === "TemplateError") return failure(CliErrorCode.InvalidInput, named.message, []);
  const oclif = (named as { oclif?: { exit?: unknown } } | undefined)?.oclif;
  if (named && typeof oclif?.exit === "number") {
    const suggestions = (named as { suggestions?: unknown }).suggestions;
    return failure(
      oclif.exit === 2 ? CliErrorCode.InvalidInput : CliErrorCode.Failed,
      named.message,
      Array.isArray(suggestions) ? suggestions.map(String) : [],
    );
  }
  if (named?.name === "FatalError" || named?.name === "RetryableError") {
    return failure(CliErrorCode.Failed, named.message, []);
  }
  return failure(CliErrorCode.Unexpected, named?.message ?? String(error), [
    "re-run with --verbose for the stack trace, and report it if it looks like a bug in vrsky",
  ]);
}

function failure(code: CliErrorCode, message: string, suggestions: string[]): Failure {
  return { code, message, exitCode: EXIT_CODE_OF[code], suggestions };
}

function isIssueList(value: unknown): value is FailureIssue[] {
  return (
    Array.isArray(value) &&
    value.every((i) => typeof i === "object" && i !== null && typeof (i as FailureIssue).message === "string")
  );
}
