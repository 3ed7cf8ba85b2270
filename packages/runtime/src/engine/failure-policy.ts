import { describeError, type Envelope, isRetryable, RetryableError } from "@vrsky/sdk";

/** What to do after a handler failed. */
export type FailureDecision =
  | { action: "retry"; delayMs: number }
  | { action: "dead-letter"; reason: string; code: string }
  | { action: "wait"; delayMs: number };

/** How a failed attempt is retried. */
export interface RetrySchedule {
  /** Total attempts, the first included. */
  attempts: number;
  /** Delay before attempt `attempt + 1`, in ms. */
  delay(attempt: number): number;
}

/**
 * A refusal caused by the platform, not the message: a full stream downstream or NATS being
 * unreachable. Such a message is retried without spending its attempts.
 */
export class BackpressureError extends RetryableError {
  constructor(message: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super(message, { retryAfterMs: options.retryAfterMs ?? 1000, cause: options.cause });
    this.name = "BackpressureError";
  }
}

/**
 * Decides between retrying and dead-lettering after attempt `attempt` failed with `err`:
 * fatal errors (bad input, config errors, checksum mismatches) go to the DLQ at once,
 * retryable ones are retried with backoff until the attempts are spent.
 */
export function decideFailure(err: unknown, attempt: number, schedule: RetrySchedule): FailureDecision {
  if (err instanceof BackpressureError) return { action: "wait", delayMs: err.retryAfterMs ?? 1000 };
  const { message: reason, code } = describeError(err);
  if (!isRetryable(err)) return { action: "dead-letter", reason, code };
  if (attempt >= schedule.attempts) {
    return { action: "dead-letter", reason: `${reason} (gave up after ${attempt} attempts)`, code };
  }
  const hinted = err instanceof RetryableError ? (err.retryAfterMs ?? 0) : 0;
  return { action: "retry", delayMs: Math.max(schedule.delay(attempt), hinted) };
}

/**
 * Classifies a JetStream publish failure: a stream at its limits or NATS being away is
 * back-pressure; anything else is retryable.
 */
export function publishFailure(err: unknown, subject: string): RetryableError {
  const text = err instanceof Error ? err.message : String(err);
  if (
    /maximum (messages|bytes)|resource limits|insufficient resources|no responders|timeout|disconnect|closed/i.test(
      text,
    )
  ) {
    return new BackpressureError(`cannot publish to ${subject}: ${text}`, { cause: err });
  }
  return new RetryableError(`cannot publish to ${subject}: ${text}`, { cause: err });
}

/** A message for the log: the error without payload bytes. */
export function logFields(envelope: Pick<Envelope, "id" | "attempt">, err: unknown) {
  return { msgId: envelope.id, attempt: envelope.attempt, error: describeError(err) };
}
