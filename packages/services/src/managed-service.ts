/**
 * A service this package started (a process, a container or an in-process server) that the
 * caller owns and must stop.
 *
 * @example
 * ```ts
 * const nats = await startNatsServer();
 * try {
 *   console.log(nats.description);
 * } finally {
 *   await nats.stop();
 * }
 * ```
 */
export interface ManagedService {
  /** What runs where, safe to log: URLs are redacted. */
  readonly description: string;
  /**
   * Stops the service and removes everything it created (temp dirs, containers). Idempotent;
   * never rejects because the service already died.
   */
  stop(): Promise<void>;
}
