import type { StateStore } from "../context.js";
import { FatalError } from "../errors.js";

/**
 * A {@link StateStore} kept in memory, for tests. Values are stored as JSON, so what a test
 * reads back is a copy: mutating a value after `set` (or after `get`) changes nothing stored,
 * just as with NATS KV in the runtime.
 *
 * @example
 * ```ts
 * const state = new MemoryStateStore({ cursor: 41 });
 * await runConsumer(source, config, { state });
 * expect(state.snapshot()).toMatchObject({ "vrsky:checkpoint": 42 });
 * ```
 */
export class MemoryStateStore implements StateStore {
  readonly #values = new Map<string, string>();

  /**
   * @param initial - values to start with, as if set one by one
   * @throws FatalError if an initial value is not JSON-serialisable
   */
  constructor(initial: Readonly<Record<string, unknown>> = {}) {
    for (const [key, value] of Object.entries(initial)) this.#values.set(key, serialise(key, value));
  }

  /**
   * The value at `key`, or `undefined`.
   * @param key - the state key
   */
  async get(key: string): Promise<unknown> {
    const text = this.#values.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  /**
   * Stores a copy of `value` at `key`.
   * @param key - the state key
   * @param value - a JSON-serialisable value
   * @throws FatalError if `value` cannot be serialised as JSON (`undefined`, a cycle, a BigInt)
   */
  async set(key: string, value: unknown): Promise<void> {
    this.#values.set(key, serialise(key, value));
  }

  /**
   * Removes `key`; removing a missing key is not an error.
   * @param key - the state key
   */
  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }

  /** Every stored value by key, copied, for assertions. */
  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, text] of this.#values) out[key] = JSON.parse(text);
    return out;
  }
}

function serialise(key: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new FatalError(
      `state value at key "${key}" is not JSON-serialisable (${(cause as Error).message}): store plain data`,
      { cause },
    );
  }
  if (text === undefined) {
    throw new FatalError(
      `state value at key "${key}" is not JSON-serialisable (got ${typeof value}): use delete() to remove a key`,
    );
  }
  return text;
}
