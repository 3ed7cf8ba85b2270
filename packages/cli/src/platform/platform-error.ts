import { z } from "zod";
import { CliError, CliErrorCode, type CliErrorOptions } from "../cli-error.js";

/**
 * An RFC 9457 problem document as the control-plane API sends it. `code` stays a string: the
 * API adds codes over time and an older CLI must still report them.
 */
export const Problem = z.object({
  status: z.number().int().optional(),
  title: z.string().optional(),
  detail: z.string(),
  code: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
/** A problem document from the control-plane API. */
export type Problem = z.infer<typeof Problem>;

/** The CLI code each API problem code is reported as; others follow the HTTP status. */
const CODE_OF: Readonly<Record<string, CliErrorCode>> = {
  UNAUTHENTICATED: CliErrorCode.KeyRejected,
  FORBIDDEN: CliErrorCode.KeyRejected,
  NOT_FOUND: CliErrorCode.NotFound,
  BAD_REQUEST: CliErrorCode.InvalidInput,
  VALIDATION_FAILED: CliErrorCode.InvalidInput,
  PAYLOAD_TOO_LARGE: CliErrorCode.InvalidInput,
  VERSION_EXISTS: CliErrorCode.VersionExists,
  NAME_TAKEN: CliErrorCode.NameTaken,
  BREAKING_CHANGE: CliErrorCode.BreakingChange,
  INVALID_SPEC: CliErrorCode.ConfigInvalid,
  // A plan limit is neither bad input nor an outage: the command ran and could not do its work.
  QUOTA_EXCEEDED: CliErrorCode.QuotaExceeded,
  RATE_LIMITED: CliErrorCode.ServiceUnavailable,
  INTERNAL: CliErrorCode.ServiceUnavailable,
};

/**
 * A problem the control-plane API answered with, as a {@link CliError}: the problem's `detail`
 * is the message, its `issues` are listed, and {@link PlatformError.problem} keeps the
 * document so a command can branch on `problem.code` (e.g. `INVALID_SPEC`).
 *
 * @example
 * ```ts
 * try {
 *   await client.request("POST", "/v1/connectors", body);
 * } catch (error) {
 *   if (error instanceof PlatformError && error.problem.code === "VERSION_EXISTS") …
 *   throw error;
 * }
 * ```
 */
export class PlatformError extends CliError {
  /** The problem document. */
  readonly problem: Problem;
  /** HTTP status of the answer. */
  readonly status: number;

  /**
   * @param problem - the problem document
   * @param status - the HTTP status
   * @param options - suggestions and cause; `issues` default to the problem's
   */
  constructor(problem: Problem, status: number, options: CliErrorOptions = {}) {
    super(cliCodeOf(problem.code, status), problem.detail, {
      issues: problem.issues ?? [],
      ...options,
    });
    this.name = "PlatformError";
    this.problem = problem;
    this.status = status;
  }
}

/**
 * The CLI code for an API problem code: the mapped one, else by HTTP status (5xx: the service
 * failed; 4xx: the input is wrong).
 * @param code - the API's problem code
 * @param status - the HTTP status
 */
export function cliCodeOf(code: string, status: number): CliErrorCode {
  return CODE_OF[code] ?? (status >= 500 ? CliErrorCode.ServiceUnavailable : CliErrorCode.InvalidInput);
}
