import type { KV } from "@nats-io/kv";
import type { StateStore } from "@vrsky/sdk";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** KV keys allow only `[-/_=.a-zA-Z0-9]`; connector keys are free text, so they are encoded. */
function encodeKey(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}

/**
 * A connector's durable state in NATS KV, scoped to one step: keys live under
 * `state.<step>.<base64url(key)>`. Values are JSON.
 */
export class KvStateStore implements StateStore {
  readonly #kv: KV;
  readonly #prefix: string;

  /**
   * @param kv - the integration's state bucket
   * @param step - the step the state belongs to
   */
  constructor(kv: KV, step: string) {
    this.#kv = kv;
    this.#prefix = `state.${step}.`;
  }

  async get(key: string): Promise<unknown> {
    const entry = await this.#kv.get(this.#prefix + encodeKey(key));
    if (entry?.operation !== "PUT" || entry.length === 0) return undefined;
    return JSON.parse(decoder.decode(entry.value));
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.#kv.put(this.#prefix + encodeKey(key), encoder.encode(JSON.stringify(value)));
  }

  async delete(key: string): Promise<void> {
    await this.#kv.delete(this.#prefix + encodeKey(key));
  }
}

/**
 * Persists a source's checkpoint without a synchronous KV write per message: `set` records the
 * newest value and at most one write is in flight; later values replace earlier unwritten ones.
 * `flush` waits until the newest value is stored (called on stop).
 */
export class CheckpointWriter<K> {
  readonly #kv: KV;
  readonly #key: string;
  #pending: { value: K } | undefined;
  #writing: Promise<void> | undefined;
  #lastError: unknown;

  /**
   * @param kv - the integration's state bucket
   * @param source - the source step name
   */
  constructor(kv: KV, source: string) {
    this.#kv = kv;
    this.#key = `checkpoint.${source}`;
  }

  /** The stored checkpoint, or `undefined` on first start. */
  async load(): Promise<unknown> {
    const entry = await this.#kv.get(this.#key);
    if (entry?.operation !== "PUT" || entry.length === 0) return undefined;
    return JSON.parse(decoder.decode(entry.value));
  }

  /** Records a checkpoint to be written soon. */
  set(value: K): void {
    this.#pending = { value };
    this.#writing ??= this.#drain();
  }

  /** Writes a checkpoint now and waits for it. */
  async save(value: K): Promise<void> {
    this.set(value);
    await this.flush();
  }

  /**
   * Waits until every recorded checkpoint is written.
   * @throws the last write error, if the newest value could not be stored
   */
  async flush(): Promise<void> {
    while (this.#writing !== undefined) await this.#writing;
    if (this.#lastError) {
      const err = this.#lastError;
      this.#lastError = undefined;
      throw err;
    }
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending) {
        const { value } = this.#pending;
        this.#pending = undefined;
        try {
          await this.#kv.put(this.#key, encoder.encode(JSON.stringify(value)));
          this.#lastError = undefined;
        } catch (err) {
          // Keep the value for the next attempt unless a newer one arrived meanwhile.
          this.#pending ??= { value };
          this.#lastError = err;
          return;
        }
      }
    } finally {
      this.#writing = undefined;
    }
  }
}
