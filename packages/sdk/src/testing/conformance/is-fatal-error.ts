import { FatalError, RetryableError } from "../../errors.js";

/**
 * Whether a thrown value is a {@link FatalError} — by class, or by name and code when the
 * connector was built against another copy of the SDK.
 * @param error - anything thrown
 */
export function isFatalError(error: unknown): boolean {
  if (error instanceof FatalError) return true;
  return (
    error instanceof Error &&
    error.name === "FatalError" &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

/**
 * Whether a thrown value is a {@link RetryableError}, by class or by name.
 * @param error - anything thrown
 */
export function isRetryableError(error: unknown): boolean {
  return error instanceof RetryableError || (error instanceof Error && error.name === "RetryableError");
}
