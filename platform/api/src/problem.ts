import { z } from "zod";

/** Stable error codes of the control-plane API; clients branch on these, never on `title`. */
export const ProblemCode = z.enum([
  "BAD_REQUEST",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "VALIDATION_FAILED",
  "VERSION_EXISTS",
  "NAME_TAKEN",
  "BREAKING_CHANGE",
  "INVALID_SPEC",
  "QUOTA_EXCEEDED",
  "NOT_RUNNING",
  "IN_USE",
  "UNAVAILABLE",
  "PAYLOAD_TOO_LARGE",
  "RATE_LIMITED",
  "INTERNAL",
]);
/** A stable error code of the control-plane API. */
export type ProblemCode = z.infer<typeof ProblemCode>;

/** One problem found while validating a request or a schema change. */
export const ProblemIssue = z.object({
  /** Dotted location, e.g. `body.manifest.version` or `config.properties.url`. */
  path: z.string(),
  /** What is wrong there. */
  message: z.string(),
});
/** One problem found while validating a request or a schema change. */
export type ProblemIssue = z.infer<typeof ProblemIssue>;

/** An RFC 9457 problem document, served as `application/problem+json`. */
export const ProblemDocument = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: ProblemCode,
  issues: z.array(ProblemIssue).optional(),
});
/** An RFC 9457 problem document. */
export type ProblemDocument = z.infer<typeof ProblemDocument>;

/** Media type of problem documents. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

const STATUS: Record<ProblemCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  VERSION_EXISTS: 409,
  NAME_TAKEN: 409,
  BREAKING_CHANGE: 422,
  INVALID_SPEC: 422,
  QUOTA_EXCEEDED: 403,
  NOT_RUNNING: 409,
  IN_USE: 409,
  UNAVAILABLE: 503,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

const TITLE: Record<ProblemCode, string> = {
  BAD_REQUEST: "Bad request",
  UNAUTHENTICATED: "Authentication required",
  FORBIDDEN: "Forbidden",
  NOT_FOUND: "Not found",
  VALIDATION_FAILED: "Validation failed",
  VERSION_EXISTS: "Version already published",
  NAME_TAKEN: "Connector name taken",
  BREAKING_CHANGE: "Breaking config change",
  INVALID_SPEC: "Invalid integration spec",
  QUOTA_EXCEEDED: "Quota exceeded",
  NOT_RUNNING: "Integration not running",
  IN_USE: "Still in use",
  UNAVAILABLE: "Service unavailable",
  PAYLOAD_TOO_LARGE: "Payload too large",
  RATE_LIMITED: "Too many requests",
  INTERNAL: "Internal server error",
};

/** Options of {@link ApiError}. */
export interface ApiErrorOptions {
  /** Per-item problems, e.g. zod issues or breaking changes. */
  issues?: ProblemIssue[];
  /** Seconds the client should wait; sent as `Retry-After`. */
  retryAfterSeconds?: number;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * An error the client can act on; the error handler turns it into a problem document.
 *
 * @example
 * ```ts
 * throw new ApiError("NOT_FOUND", "connector acme-sink does not exist");
 * ```
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  /** Stable code. */
  readonly code: ProblemCode;
  /** HTTP status derived from the code. */
  readonly statusCode: number;
  /** Per-item problems. */
  readonly issues: ProblemIssue[] | undefined;
  /** Seconds before retrying, for `RATE_LIMITED`. */
  readonly retryAfterSeconds: number | undefined;

  /**
   * @param code - stable code; decides the status
   * @param detail - what failed and how to fix it; never contains secrets
   * @param options - issues, retry delay, cause
   */
  constructor(code: ProblemCode, detail: string, options: ApiErrorOptions = {}) {
    super(detail, { cause: options.cause });
    this.code = code;
    this.statusCode = STATUS[code];
    this.issues = options.issues;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The RFC 9457 document describing this error. */
  toProblem(): ProblemDocument {
    return {
      type: `https://vrsky.dev/problems/${this.code.toLowerCase().replaceAll("_", "-")}`,
      title: TITLE[this.code],
      status: this.statusCode,
      detail: this.message,
      code: this.code,
      ...(this.issues === undefined ? {} : { issues: this.issues }),
    };
  }
}

/**
 * Turns zod issues into problem issues, prefixing each path with where the value came from.
 * @param error - the zod error
 * @param prefix - e.g. `body`, `querystring`
 */
export function zodIssues(error: z.ZodError, prefix: string): ProblemIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== "").join("."),
    message: issue.message,
  }));
}
