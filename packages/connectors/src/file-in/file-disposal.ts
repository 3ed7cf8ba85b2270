import { copyFile, mkdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { FatalError, RetryableError } from "@vrsky/sdk";
import { isMissing } from "./directory-scan.js";

// Enough for any realistic number of same-named files; beyond it something is wrong.
const MAX_SUFFIX = 10_000;

/**
 * Moves a file into `directory` under its relative path, creating folders as needed. A name
 * already taken gets a numeric suffix before the extension (`orders.csv` → `orders.1.csv`).
 * Across filesystems the file is copied, then removed.
 *
 * @param path - the file
 * @param relativePath - its path relative to the watched directory (kept below `directory`)
 * @param directory - the processed directory
 * @returns where the file went
 * @throws FatalError when the processed directory is not writable; RetryableError for other failures
 */
export async function moveFile(path: string, relativePath: string, directory: string): Promise<string> {
  const target = join(directory, relativePath);
  try {
    await mkdir(dirname(target), { recursive: true });
    const free = await freeName(target);
    try {
      await rename(path, free);
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EXDEV") throw error;
      await copyFile(path, free);
      await unlink(path);
    }
    return free;
  } catch (error) {
    throw fsError(error, `moving ${path} to ${directory}`);
  }
}

/**
 * Deletes a file; one already gone is not an error.
 * @param path - the file
 */
export async function deleteFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!isMissing(error)) throw fsError(error, `deleting ${path}`);
  }
}

async function freeName(target: string): Promise<string> {
  const extension = extname(target);
  const stem = basename(target, extension);
  for (let n = 0; n <= MAX_SUFFIX; n++) {
    const candidate = n === 0 ? target : join(dirname(target), `${stem}.${n}${extension}`);
    try {
      await stat(candidate);
    } catch (error) {
      if (isMissing(error)) return candidate;
      throw error;
    }
  }
  throw new FatalError(
    `${MAX_SUFFIX} files named like ${target} already exist: clean up the processed directory`,
  );
}

function fsError(error: unknown, what: string): FatalError | RetryableError {
  const code = (error as { code?: unknown }).code;
  const reason = `${what} failed: ${(error as Error).message}`;
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new FatalError(
      `${reason}: give the worker write access to the directory, or use afterRead "delete"`,
      {
        cause: error,
      },
    );
  }
  return new RetryableError(reason, { cause: error });
}
