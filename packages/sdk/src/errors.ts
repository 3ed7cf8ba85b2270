/**
 * The closed set of error codes VRSky raises. Each code belongs to exactly one error class.
 */
export const ErrorCode = {
  /** A connector or integration config failed validation. The user fixes the config. */
  ConfigInvalid: "CONFIG_INVALID",
  /** A transient failure: the same message may succeed on a later attempt. */
  Retryable: "RETRYABLE",
  /** The message itself cannot be processed (bad input); retrying will not help. */
  Fatal: "FATAL",
  /** A claim-check blob's content did not match its recorded sha256. */
  BlobChecksumMismatch: "BLOB_CHECKSUM_MISMATCH",
  /** A claim-check blob is gone (expired or deleted) before the message was delivered. */
  BlobNotFound: "BLOB_NOT_FOUND",
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Options every VRSky error accepts. */
export interface VrskyErrorOptions {
  /** The underlying error, kept for logs and `--verbose` output. */
  cause?: unknown;
}

/**
 * The base of every error VRSky raises. Catch this to handle any VRSky failure; switch on
 * {@link VrskyError.code} to tell them apart.
 */
export class VrskyError extends Error {
  /** Machine-readable error code. */
  readonly code: ErrorCode;

  /**
   * @param code - one of {@link ErrorCode}
   * @param message - what failed, where, and how to fix it
   * @param options - `{ cause }`
   */
  constructor(code: ErrorCode, message: string, options: VrskyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "VrskyError";
    this.code = code;
  }
}

/** Options of a {@link RetryableError}. */
export interface RetryableErrorOptions extends VrskyErrorOptions {
  /**
   * The earliest time to try again, in milliseconds from now (for example from an HTTP
   * `Retry-After` header). The runtime waits at least this long before the next attempt.
   */
  retryAfterMs?: number;
}

/**
 * A transient failure: the runtime retries the message with exponential backoff, up to the
 * integration's attempt limit, then dead-letters it.
 *
 * @example
 * ```ts
 * if (res.status === 503) throw new RetryableError("upstream unavailable (HTTP 503)", { retryAfterMs: 2000 });
 * ```
 */
export class RetryableError extends VrskyError {
  /** Minimum delay before the next attempt, if the failing system asked for one. */
  readonly retryAfterMs: number | undefined;

  /**
   * @param message - what failed and where
   * @param options - `{ cause, retryAfterMs }`
   */
  constructor(message: string, options: RetryableErrorOptions = {}) {
    super(ErrorCode.Retryable, message, options);
    this.name = "RetryableError";
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The fatal codes: each means "this message cannot succeed, dead-letter it now". */
export type FatalCode =
  | typeof ErrorCode.Fatal
  | typeof ErrorCode.BlobChecksumMismatch
  | typeof ErrorCode.BlobNotFound;

/** Options of a {@link FatalError}. */
export interface FatalErrorOptions extends VrskyErrorOptions {
  /** A more specific fatal code. @default "FATAL" */
  code?: FatalCode;
}

/**
 * The message cannot be processed (malformed input, a 4xx from the target, a schema
 * mismatch). The runtime dead-letters it at once with this error as the reason.
 *
 * @example
 * ```ts
 * if (typeof order.id !== "string") throw new FatalError("order.id is missing: expected a string");
 * ```
 */
export class FatalError extends VrskyError {
  /**
   * @param message - what is wrong with the message and where
   * @param options - `{ cause, code }`
   */
  constructor(message: string, options: FatalErrorOptions = {}) {
    super(options.code ?? ErrorCode.Fatal, message, options);
    this.name = "FatalError";
  }
}

/** One problem found while validating a config. */
export interface ConfigIssue {
  /** Dotted path of the offending field, e.g. `auth.secret` or `sinks.slack.config.url`. */
  path: string;
  /** What was wrong and what is expected. */
  message: string;
  /** 1-based line in the source file, when the config came from a file. */
  line?: number;
  /** 1-based column in the source file, when known. */
  column?: number;
}

/** Options of a {@link ConfigError}. */
export interface ConfigErrorOptions extends VrskyErrorOptions {
  /** Where the config came from: a file, a step name, a flag. Shown before the issues. */
  where?: string;
}

/**
 * A config (of a connector or an integration) is invalid. This is the user's to fix: the
 * message lists every problem at once with the path of the field and what was expected.
 */
export class ConfigError extends VrskyError {
  /** Every problem found, in document order. */
  readonly issues: readonly ConfigIssue[];
  /** Where the config came from, if known. */
  readonly where: string | undefined;

  /**
   * @param issues - all problems found; at least one
   * @param options - `{ where, cause }`
   */
  constructor(issues: readonly ConfigIssue[], options: ConfigErrorOptions = {}) {
    super(ErrorCode.ConfigInvalid, formatConfigIssues(issues, options.where), options);
    this.name = "ConfigError";
    this.issues = issues;
    this.where = options.where;
  }
}

function formatConfigIssues(issues: readonly ConfigIssue[], where: string | undefined): string {
  const head = `Invalid config${where ? ` in ${where}` : ""}: ${issues.length} problem${issues.length === 1 ? "" : "s"}`;
  const lines = issues.map((i) => {
    const at =
      i.line === undefined ? "" : ` (line ${i.line}${i.column === undefined ? "" : `, column ${i.column}`})`;
    return `  - ${i.path || "(root)"}${at}: ${i.message}`;
  });
  return [head, ...lines].join("\n");
}

/**
 * Whether the runtime should retry after `error`. {@link FatalError} and {@link ConfigError}
 * are final; everything else — including plain `Error`s thrown by libraries, which are
 * usually network or availability failures — is retried up to the attempt limit.
 *
 * @param error - anything thrown by a handler
 * @returns `true` when another attempt may succeed
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof FatalError || error instanceof ConfigError) return false;
  if (error instanceof VrskyError) return error.code === ErrorCode.Retryable;
  return true;
}

/**
 * A short, secret-free description of a thrown value for logs and DLQ records: the error's
 * name, code and message, never its stack or attached data.
 *
 * @param error - anything thrown
 */
export function describeError(error: unknown): { name: string; code: string; message: string } {
  if (error instanceof VrskyError) return { name: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { name: error.name, code: "UNEXPECTED", message: error.message };
  return { name: "NonError", code: "UNEXPECTED", message: String(error) };
}
