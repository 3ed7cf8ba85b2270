import type { BlobReleaser } from "./blob-releaser.js";
import type { SweepableBlobStore } from "./sweepable-blob-store.js";

/** Options of a {@link BlobSweeper}. */
export interface BlobSweeperOptions {
  /** The stores to delete expired blobs from. */
  stores: readonly SweepableBlobStore[];
  /** A releaser whose entries for expired blobs are removed too. */
  releaser?: BlobReleaser;
}

/** What one {@link BlobSweeper.sweep} removed. */
export interface SweepResult {
  /** Expired blobs deleted from the stores. */
  deleted: number;
  /** Releaser entries removed because their blob expired. */
  staleEntries: number;
}

/** Options of {@link BlobSweeper.start}. */
export interface StartSweeperOptions {
  /** Time between the end of one sweep and the start of the next, in milliseconds. */
  intervalMs: number;
  /** Stops the sweeper when aborted; a sweep in progress finishes. */
  signal: AbortSignal;
  /**
   * Called with each failed sweep; the sweeper keeps running.
   * @default emits a process warning
   */
  onError?: (error: unknown) => void;
  /** Called after each successful sweep, e.g. to log or count. */
  onSweep?: (result: SweepResult) => void;
}

/**
 * Deletes expired claim-check blobs and stale releaser entries. Needed because neither the
 * NATS 2.9 object store nor S3-compatible test servers expire single objects; the backends'
 * max age and lifecycle rules are only a coarse safety net.
 *
 * @example
 * ```ts
 * const sweeper = new BlobSweeper({ stores: [store], releaser });
 * sweeper.start({ intervalMs: 60_000, signal: shutdown.signal });
 * ```
 */
export class BlobSweeper {
  readonly #options: BlobSweeperOptions;

  /**
   * @param options - the stores and optional releaser to sweep
   */
  constructor(options: BlobSweeperOptions) {
    this.#options = options;
  }

  /**
   * Sweeps every store, then the releaser, once.
   * @param now - the reference time @default new Date()
   * @returns how many blobs and entries were removed
   * @throws RetryableError if a backend fails; later stores are not swept in that run
   */
  async sweep(now: Date = new Date()): Promise<SweepResult> {
    let deleted = 0;
    for (const store of this.#options.stores) deleted += await store.sweep(now);
    const staleEntries = this.#options.releaser ? await this.#options.releaser.sweep(now) : 0;
    return { deleted, staleEntries };
  }

  /**
   * Sweeps every `intervalMs` until `signal` aborts. The timer is unref'd, so it never keeps
   * the process alive; sweeps never overlap.
   * @param options - interval, abort signal, error and result callbacks
   * @throws RangeError if `intervalMs` is not a positive number
   */
  start(options: StartSweeperOptions): void {
    const { intervalMs, signal } = options;
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
      throw new RangeError(`sweeper intervalMs must be a positive number of milliseconds, got ${intervalMs}`);
    }
    const onError = options.onError ?? defaultOnError;
    let timer: NodeJS.Timeout | undefined;
    const schedule = (): void => {
      if (signal.aborted) return;
      timer = setTimeout(run, intervalMs);
      timer.unref();
    };
    const run = (): void => {
      // Not awaited: a timer callback has no caller; every outcome is handled here.
      void this.sweep().then(
        (result) => {
          options.onSweep?.(result);
          schedule();
        },
        (error: unknown) => {
          onError(error);
          schedule();
        },
      );
    };
    signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
    schedule();
  }
}

/**
 * Creates a {@link BlobSweeper} and starts it.
 * @param options - the stores and releaser to sweep, and the schedule
 * @returns the running sweeper (call `sweep()` on it for an immediate run)
 * @example
 * ```ts
 * startSweeper({ stores: [store], intervalMs: 60_000, signal });
 * ```
 */
export function startSweeper(options: BlobSweeperOptions & StartSweeperOptions): BlobSweeper {
  const sweeper = new BlobSweeper(options);
  sweeper.start(options);
  return sweeper;
}

function defaultOnError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`claim-check blob sweep failed: ${message}`, { code: "VRSKY_BLOB_SWEEP" });
}
