import { maxLsn, normalizeLsn, parseLsn } from "./lsn.js";

/**
 * Decides which WAL position may be acknowledged to Postgres. A transaction's end is safe once
 * all its changes were accepted ({@link AcknowledgedPosition.committed}). A keepalive's position
 * is safe only if nothing was pending when it arrived and no change was handled until the next
 * keepalive: pg-logical-replication may still hold received changes in its queue when a
 * keepalive is reported, and acknowledging past them would lose them on a crash.
 */
export class AcknowledgedPosition {
  #confirmed: string | undefined;
  #busy = false;
  #inTransaction = false;
  #handled = 0;
  #candidate: { lsn: string; handled: number } | undefined;

  /** @param start - the position already confirmed (the slot's, or the checkpoint's), if known */
  constructor(start: string | undefined) {
    this.#confirmed = start === undefined ? undefined : normalizeLsn(start);
  }

  /** The latest position safe to acknowledge. */
  get confirmed(): string | undefined {
    return this.#confirmed;
  }

  /** Whether a transaction has begun and not yet been fully accepted. */
  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /** A replication message is being handled. */
  handling(): void {
    this.#handled++;
    this.#busy = true;
  }

  /** The message being handled is done. */
  handled(): void {
    this.#busy = false;
  }

  /** A transaction began. */
  begin(): void {
    this.#inTransaction = true;
  }

  /**
   * Every change of the transaction ending at `end` was accepted.
   * @param end - the transaction's end position
   */
  committed(end: string): void {
    this.#inTransaction = false;
    this.#confirmed = this.#confirmed === undefined ? normalizeLsn(end) : maxLsn(this.#confirmed, end);
  }

  /**
   * A keepalive arrived.
   * @param lsn - the server's position in it
   * @param replyRequested - whether the server asked for a status update now
   * @returns the position to acknowledge now, or `undefined` to stay silent
   */
  keepalive(lsn: string, replyRequested: boolean): string | undefined {
    const idle = !this.#busy && !this.#inTransaction;
    let advanced = false;
    const candidate = this.#candidate;
    if (idle && candidate !== undefined && candidate.handled === this.#handled) {
      if (this.#confirmed === undefined || parseLsn(candidate.lsn) > parseLsn(this.#confirmed)) {
        this.#confirmed = candidate.lsn;
        advanced = true;
      }
    }
    this.#candidate = idle ? { lsn: normalizeLsn(lsn), handled: this.#handled } : undefined;
    return advanced || replyRequested ? this.#confirmed : undefined;
  }
}
