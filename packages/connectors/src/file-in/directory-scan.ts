import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { RetryableError } from "@vrsky/sdk";
import picomatch from "picomatch";

/** A file found in the watched directory. */
export interface FoundFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the watched directory, with `/` separators. */
  readonly relative: string;
  /** Size in bytes. */
  readonly size: number;
  /** Last modification, in milliseconds since the epoch. */
  readonly mtimeMs: number;
}

/** Options of {@link DirectoryScanner}. */
export interface DirectoryScannerOptions {
  /** The watched directory, absolute. */
  readonly root: string;
  /** Glob patterns matched against relative paths. */
  readonly patterns: readonly string[];
  /** Directories never descended into (the processed directory), absolute. */
  readonly skip: readonly string[];
}

/**
 * Lists the files of a directory that match glob patterns. Descends into subdirectories only
 * when a pattern can match below the top level (it has a `/`); hidden entries are skipped.
 */
export class DirectoryScanner {
  readonly #root: string;
  readonly #match: (path: string) => boolean;
  readonly #recursive: boolean;
  readonly #skip: ReadonlySet<string>;

  /** @param options - root, patterns and directories to skip */
  constructor(options: DirectoryScannerOptions) {
    this.#root = options.root;
    this.#match = picomatch([...options.patterns]);
    this.#recursive = options.patterns.some((pattern) => pattern.includes("/"));
    this.#skip = new Set(options.skip);
  }

  /**
   * The matching files, oldest first (then by path).
   * @throws RetryableError if the directory cannot be listed
   */
  async list(): Promise<FoundFile[]> {
    const found: FoundFile[] = [];
    await this.#walk(this.#root, found);
    return found.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.relative < b.relative ? -1 : 1));
  }

  async #walk(directory: string, found: FoundFile[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      if (directory !== this.#root && isMissing(error)) return;
      throw new RetryableError(`cannot list directory ${directory}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (this.#recursive && !this.#skip.has(path)) await this.#walk(path, found);
        continue;
      }
      if (!entry.isFile()) continue;
      const rel = relative(this.#root, path).split(sep).join("/");
      if (!this.#match(rel)) continue;
      try {
        const info = await stat(path);
        found.push({ path, relative: rel, size: info.size, mtimeMs: info.mtimeMs });
      } catch (error) {
        // Gone between listing and stat (another process took it): nothing to take.
        if (!isMissing(error))
          throw new RetryableError(`cannot stat ${path}: ${(error as Error).message}`, { cause: error });
      }
    }
  }
}

/**
 * Tells which files have stopped changing: a file is stable once its size and modification time
 * were the same across `stableForMs`, or its last modification is at least `stableForMs` old.
 */
export class StabilityTracker {
  readonly #stableForMs: number;
  #seen = new Map<string, { size: number; mtimeMs: number; since: number }>();

  /** @param stableForMs - how long a file must stay unchanged */
  constructor(stableForMs: number) {
    this.#stableForMs = stableForMs;
  }

  /**
   * Records a listing and returns the files that are stable now.
   * @param files - the latest listing
   * @param now - the current time, in milliseconds since the epoch
   */
  stable(files: readonly FoundFile[], now: number): FoundFile[] {
    const next = new Map<string, { size: number; mtimeMs: number; since: number }>();
    const ready: FoundFile[] = [];
    for (const file of files) {
      const previous = this.#seen.get(file.relative);
      const unchanged =
        previous !== undefined && previous.size === file.size && previous.mtimeMs === file.mtimeMs;
      const since = unchanged ? previous.since : now;
      next.set(file.relative, { size: file.size, mtimeMs: file.mtimeMs, since });
      if (now - since >= this.#stableForMs || now - file.mtimeMs >= this.#stableForMs) ready.push(file);
    }
    this.#seen = next;
    return ready;
  }
}

/**
 * Whether a filesystem error says the entry does not exist.
 * @param error - anything fs threw
 */
export function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}
