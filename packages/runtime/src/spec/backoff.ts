/** How often and how patiently a sink retries a message before dead-lettering it. */
export interface RetryPolicy {
  /** Deliveries tried in all, the first included (1 = no retry). */
  attempts: number;
  /** Delay after the first failed attempt, in ms. */
  initialMs: number;
  /** Factor applied to the delay after each further failure. */
  multiplier: number;
  /** Longest delay before jitter, in ms. */
  maxMs: number;
  /** Random spread as a fraction of the delay: 0.2 gives ±20 %. */
  jitter: number;
}

/**
 * The delay before the next attempt after attempt number `attempt` failed:
 * `initialMs × multiplier^(attempt−1)`, capped at `maxMs`, then spread by ±`jitter`.
 *
 * @param policy - the sink's retry policy
 * @param attempt - the attempt that just failed, from 1
 * @param random - a source of numbers in [0, 1) @default Math.random
 * @returns whole milliseconds, never negative
 * @throws RangeError when `attempt` is not a whole number of at least 1
 * @example
 * ```ts
 * const policy = { attempts: 3, initialMs: 1000, multiplier: 2, maxMs: 60000, jitter: 0 };
 * backoffDelay(policy, 3); // 4000
 * ```
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1, got ${attempt}`);
  }
  const base = Math.min(policy.initialMs * policy.multiplier ** (attempt - 1), policy.maxMs);
  const spread = policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base * (1 + spread)));
}

/**
 * The delays between every pair of attempts without jitter, e.g. for a JetStream consumer's
 * `backoff` list (one entry per redelivery).
 *
 * @param policy - the sink's retry policy
 * @returns `attempts − 1` delays in ms
 * @example
 * ```ts
 * backoffSchedule({ attempts: 4, initialMs: 1000, multiplier: 2, maxMs: 3000, jitter: 0.2 }); // [1000, 2000, 3000]
 * ```
 */
export function backoffSchedule(policy: RetryPolicy): number[] {
  const noJitter = { ...policy, jitter: 0 };
  return Array.from({ length: Math.max(0, policy.attempts - 1) }, (_, i) => backoffDelay(noJitter, i + 1));
}
