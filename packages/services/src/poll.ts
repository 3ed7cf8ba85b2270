import { setTimeout as delay } from "node:timers/promises";

/** Options of {@link pollUntil}. */
export interface PollOptions {
  /** Give up after this many milliseconds. */
  deadlineMs: number;
  /** Pause between attempts. @default 50 */
  intervalMs?: number;
  /** Stops polling early, e.g. because the caller gave up. */
  signal?: AbortSignal;
  /** Checked before each attempt: a returned error ends the wait at once (the process died). */
  abortIf?: () => Error | undefined;
}

/**
 * Calls `attempt` until it returns `true`, an `abortIf` error appears, the signal aborts or the
 * deadline passes. Used to wait for a server to accept connections instead of sleeping.
 *
 * @param what - what is being waited for, used in the timeout message
 * @param attempt - one try; a throw counts as "not yet"
 * @param options - deadline, interval, abort signal and a fatal-condition check
 * @throws Error naming `what` when the deadline passes, the `abortIf` error, or the signal's reason
 */
export async function pollUntil(
  what: string,
  attempt: () => Promise<boolean>,
  options: PollOptions,
): Promise<void> {
  const deadline = Date.now() + options.deadlineMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    const fatal = options.abortIf?.();
    if (fatal) throw fatal;
    try {
      if (await attempt()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const last = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`timed out after ${options.deadlineMs} ms waiting for ${what}${last}`, {
        cause: lastError,
      });
    }
    try {
      await delay(Math.min(options.intervalMs ?? 50, Math.max(0, deadline - Date.now())), undefined, {
        signal: options.signal,
      });
    } catch (error) {
      // Rethrow the caller's abort reason rather than the timer's generic AbortError.
      options.signal?.throwIfAborted();
      throw error;
    }
  }
}
