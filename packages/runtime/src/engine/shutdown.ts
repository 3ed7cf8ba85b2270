import type { Logger } from "pino";

/** Options of {@link drainOnSignals}. */
export interface DrainOnSignalsOptions {
  /** @default ["SIGTERM", "SIGINT"] */
  signals?: readonly NodeJS.Signals[];
  logger?: Logger;
  /** Called after a clean drain. @default `process.exit(0)` */
  exit?: (code: number) => void;
}

/**
 * Drains gracefully on SIGTERM/SIGINT: the first signal runs `stop` (sources stop, in-flight
 * messages finish or go back for redelivery, checkpoints are flushed) and then exits 0; a
 * second signal exits 1 at once — JetStream redelivers whatever was unacknowledged, so even
 * that loses nothing.
 *
 * @param stop - stops everything this process runs, e.g. `() => runner.stop()`
 * @returns a function that removes the handlers
 */
export function drainOnSignals(stop: () => Promise<void>, options: DrainOnSignalsOptions = {}): () => void {
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) {
      options.logger?.warn({ signal }, "second signal: exiting without waiting");
      exit(1);
      return;
    }
    draining = true;
    options.logger?.info({ signal }, "draining");
    stop().then(
      () => exit(0),
      (err: unknown) => {
        options.logger?.error({ error: (err as Error).message }, "drain failed");
        exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}
