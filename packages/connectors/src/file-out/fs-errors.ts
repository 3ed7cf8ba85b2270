import { FatalError, RetryableError } from "@vrsky/sdk";

// Conditions that can clear without anyone changing the config: space freed, descriptors released.
const RETRYABLE = new Set([
  "ENOSPC",
  "EDQUOT",
  "EMFILE",
  "ENFILE",
  "EBUSY",
  "EAGAIN",
  "EIO",
  "ETIMEDOUT",
  "ESTALE",
]);

/**
 * Turns a filesystem error into a typed one: {@link RetryableError} for a full disk or quota,
 * too many open files, a busy or flaky device; {@link FatalError} for permissions, a read-only
 * filesystem, a missing directory or a bad file name, with a fix.
 *
 * @param error - what fs threw
 * @param what - what was being done, e.g. `writing /data/out/a.json`
 */
export function classifyFsError(error: unknown, what: string): FatalError | RetryableError {
  if (error instanceof FatalError || error instanceof RetryableError) return error;
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  const reason = error instanceof Error ? error.message : String(error);
  const head = `${what} failed: ${reason}`;
  if (typeof code === "string" && RETRYABLE.has(code)) {
    const hint =
      code === "ENOSPC" || code === "EDQUOT"
        ? ": free space on the disk; retried with backoff"
        : ": retried with backoff";
    return new RetryableError(`${head}${hint}`, { cause: error });
  }
  switch (code) {
    case "EACCES":
    case "EPERM":
      return new FatalError(`${head}: give the worker's user write access to the directory`, {
        cause: error,
      });
    case "EROFS":
      return new FatalError(`${head}: the filesystem is read-only; point directory at a writable one`, {
        cause: error,
      });
    case "ENOENT":
      return new FatalError(`${head}: create the directory, or set createDirectory: true`, { cause: error });
    case "EEXIST":
    case "ENOTDIR":
    case "EISDIR":
    case "ENAMETOOLONG":
    case "EINVAL":
      return new FatalError(`${head}: fix directory or fileName so the path names a file in a directory`, {
        cause: error,
      });
    default:
      return new RetryableError(head, { cause: error });
  }
}
