import type { ServiceName } from "./service-name.js";
import type { ServiceOrigin } from "./service-origin.js";

/** One way the resolver tried to provide a service, and why it did not work. */
export interface ServiceAttempt {
  /** The origin that was tried. */
  origin: ServiceOrigin;
  /** What went wrong, e.g. "VRSKY_NATS_URL is not set". Never contains secrets. */
  problem: string;
  /** How the user makes this origin work, e.g. "install nats-server (…)". */
  fix: string;
}

/** Options of a {@link ServiceUnavailableError}. */
export interface ServiceUnavailableErrorOptions {
  /** Which service could not be provided. */
  service: ServiceName;
  /** How to get the service: an install command, an env var to set. Also appended to the message. */
  fix: string;
  /** Each origin tried, in order, with its problem and fix; listed in the message. @default [] */
  attempts?: readonly ServiceAttempt[];
  /** The underlying failure (a spawn error, a timeout), kept for `--verbose` output. */
  cause?: unknown;
}

/**
 * A requested service could not be provided: no URL was given (or it was unusable), no Docker
 * engine answered, and the local fallback is missing or failed to start. This is the user's to
 * fix; {@link ServiceUnavailableError.fix} says how and {@link ServiceUnavailableError.attempts}
 * says what was tried.
 *
 * @example
 * ```ts
 * try {
 *   await resolveServices({ nats: true });
 * } catch (error) {
 *   if (error instanceof ServiceUnavailableError) console.error(error.message); // lists the fixes
 *   else throw error;
 * }
 * ```
 */
export class ServiceUnavailableError extends Error {
  /** Machine-readable code, stable across releases. */
  readonly code = "SERVICE_UNAVAILABLE";
  /** The service that is missing. */
  readonly service: ServiceName;
  /** What is missing or failed, without the fix. */
  readonly problem: string;
  /** How to install, start or point VRSky at the service. */
  readonly fix: string;
  /** Each origin tried, in order. Empty when a single start function failed. */
  readonly attempts: readonly ServiceAttempt[];

  /**
   * @param problem - what is missing or failed, e.g. "nats-server not found"; no secrets
   * @param options - `{ service, fix, attempts, cause }`
   */
  constructor(problem: string, options: ServiceUnavailableErrorOptions) {
    const attempts = options.attempts ?? [];
    const tried = attempts.map((a) => `\n  - ${a.origin}: ${a.problem} (fix: ${a.fix})`).join("");
    const message =
      attempts.length === 0
        ? `${problem}: ${options.fix}`
        : `${problem}; tried:${tried}\nTo fix: ${options.fix}`;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ServiceUnavailableError";
    this.service = options.service;
    this.problem = problem;
    this.fix = options.fix;
    this.attempts = attempts;
  }
}
