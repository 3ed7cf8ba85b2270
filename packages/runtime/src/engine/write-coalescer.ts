/**
 * Defers NATS writes (publishes, acks) to the end of the current event-loop turn, so the many
 * small writes of concurrently handled messages leave in one socket write instead of one each.
 * nats.js already merges writes made in the same microtask; handlers that each await something
 * first never share one, and a socket write per ack and publish was the largest CPU cost of a
 * worker under load. The delay is one turn of the event loop.
 */
export class WriteCoalescer {
  #pending: (() => void)[] = [];
  #scheduled = false;

  /** Runs `write` at the end of this event-loop turn, together with the other writes queued. */
  defer(write: () => void): void {
    this.#pending.push(write);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  /** Like {@link WriteCoalescer.defer} for a write that returns a promise (a JetStream publish). */
  deferAsync<T>(write: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.defer(() => {
        write().then(resolve, reject);
      });
    });
  }

  #flush = (): void => {
    const pending = this.#pending;
    this.#pending = [];
    this.#scheduled = false;
    for (const write of pending) write();
  };
}
