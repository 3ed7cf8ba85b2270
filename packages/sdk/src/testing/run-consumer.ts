import { randomUUID } from "node:crypto";
import type { ConsumerConnector, ConsumerContext, Emit } from "../connector.js";
import type { StateStore } from "../context.js";
import { FatalError, RetryableError } from "../errors.js";
import { Message } from "../message.js";
import { newTraceparent } from "../trace.js";
import { MemoryBlobStore } from "./memory-blob-store.js";
import { MemoryStateStore } from "./memory-state-store.js";
import { placeBody } from "./message-body.js";
import type { RunOptions } from "./run-options.js";
import { CHECKPOINT_STATE_KEY, stateCheckpointStore } from "./state-checkpoint-store.js";
import { createTestContext } from "./test-context.js";

/** Options of {@link runConsumer}. */
export interface RunConsumerOptions extends RunOptions {
  /** The step state; pass the same store to a second run to resume. @default a new {@link MemoryStateStore} */
  state?: StateStore;
  /** Stop (abort `ctx.signal`) once this many messages are accepted. @default unlimited */
  maxMessages?: number;
  /** Stop (abort `ctx.signal`) after this long. @default 5000 */
  timeoutMs?: number;
  /** How long `start` may take to return once its signal aborts. @default 2000 */
  stopTimeoutMs?: number;
  /**
   * Decides whether the runtime accepts each new (non-duplicate) message; `index` counts the
   * messages accepted before it. Returning `false` simulates a crash: that `emit` rejects with a
   * `RetryableError`, the run stops, and nothing emitted afterwards is accepted.
   * @default accept everything
   */
  accept?: (message: Message, index: number) => boolean | Promise<boolean>;
}

/** Why a consumer run ended. */
export type ConsumerRunEnd = "exhausted" | "maxMessages" | "timeout" | "rejected" | "aborted";

/** The outcome of {@link runConsumer}. */
export interface ConsumerRunResult {
  /** Messages accepted, in order; duplicates (a `key` seen before with the same state) excluded. */
  messages: Message[];
  /** Emits that were duplicates of an earlier key and so not accepted again. */
  duplicates: number;
  /** The checkpoint stored at the end of the run, `undefined` if none was ever saved. */
  checkpoint: unknown;
  /**
   * `exhausted`: `start` returned on its own; `maxMessages`, `timeout`: the run stopped it;
   * `rejected`: `accept` returned false; `aborted`: the caller's signal aborted.
   */
  ended: ConsumerRunEnd;
  /** What `start` threw while being stopped, if anything (not an error of the run). */
  stopError?: unknown;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_STOP_TIMEOUT_MS = 2000;

// Keys accepted per state store: JetStream's de-duplication window outlives a worker restart,
// so a second run with the same state must see the keys of the first.
const acceptedKeys = new WeakMap<StateStore, Map<string, string>>();

/**
 * Runs a consumer as the runtime would, with no NATS: parses the config, runs `init`, calls
 * `start` with an `emit` that accepts messages (de-duplicating by `key` and saving the `checkpoint`
 * option after acceptance), stops it by aborting `ctx.signal`, and always closes.
 *
 * @param consumer - a connector made with `defineConsumer`
 * @param config - the raw config, as a user writes it
 * @param options - state, limits, an `accept` hook to simulate a crash, signal, …
 * @returns the accepted messages, the stored checkpoint and why the run ended
 * @throws ConfigError if the config is invalid
 * @throws whatever `start` throws before the run stops it
 * @throws FatalError if `start` does not return within `stopTimeoutMs` after its signal aborts
 * @example
 * ```ts
 * const state = new MemoryStateStore();
 * const first = await runConsumer(ticker, config, { state, accept: (_m, i) => i < 2 });
 * const second = await runConsumer(ticker, config, { state, maxMessages: 3 }); // resumes at 2
 * ```
 */
export async function runConsumer<C, R, K>(
  consumer: ConsumerConnector<C, R, K>,
  config: unknown,
  options: RunConsumerOptions = {},
): Promise<ConsumerRunResult> {
  const { maxMessages, accept } = options;
  if (maxMessages !== undefined && !(Number.isInteger(maxMessages) && maxMessages > 0)) {
    throw new RangeError(`runConsumer: maxMessages must be a positive integer, got ${maxMessages}`);
  }
  const state = options.state ?? new MemoryStateStore();
  const blobs = options.blobs ?? new MemoryBlobStore();
  const handle = await createTestContext(consumer, { ...options, config, state, blobs });
  const seen = acceptedKeys.get(state) ?? new Map<string, string>();
  acceptedKeys.set(state, seen);
  const messages: Message[] = [];
  let duplicates = 0;
  let ended: ConsumerRunEnd | undefined;
  let notifyStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    notifyStopped = resolve;
  });
  const stop = (reason: ConsumerRunEnd): void => {
    if (ended !== undefined) return;
    ended = reason;
    handle.abort();
    notifyStopped();
  };
  const ctx: ConsumerContext<C, R, K> = {
    ...handle.ctx,
    checkpoint: stateCheckpointStore(state, consumer),
  };
  const stoppingError = (): RetryableError =>
    new RetryableError(
      `consumer "${consumer.name}" emitted after its step began stopping (${ended ?? "aborted"}): ` +
        "stop emitting once ctx.signal aborts",
    );

  const emit: Emit<K> = async (init, emitOptions) => {
    if (ended !== undefined || ctx.signal.aborted) throw stoppingError();
    const id = randomUUID();
    const { body, contentType } = await placeBody(init, {
      blobs,
      key: id,
      reference: "auto",
      ...(options.referenceThreshold === undefined ? {} : { threshold: options.referenceThreshold }),
      signal: ctx.signal,
    });
    const message = new Message(
      {
        id,
        tenant: ctx.info.tenant,
        integration: ctx.info.integration,
        source: ctx.info.step,
        createdAt: new Date().toISOString(),
        headers: { ...init.headers },
        contentType,
        attempt: 1,
        traceparent: newTraceparent(),
        body,
      },
      blobs,
    );
    const earlier = init.key === undefined ? undefined : seen.get(init.key);
    if (earlier === undefined && accept && !(await accept(message, messages.length))) {
      stop("rejected");
      throw new RetryableError(
        `message ${messages.length} from consumer "${consumer.name}" was not accepted (the test simulates a crash): ` +
          "keep it and emit it again after a restart",
      );
    }
    if (ended !== undefined) throw stoppingError();
    if (earlier !== undefined) duplicates++;
    else {
      messages.push(message);
      if (init.key !== undefined) seen.set(init.key, id);
    }
    if (emitOptions?.checkpoint !== undefined) await ctx.checkpoint.save(emitOptions.checkpoint);
    if (maxMessages !== undefined && messages.length >= maxMessages) stop("maxMessages");
    return { id: earlier ?? id, duplicate: earlier !== undefined };
  };

  const onAbort = (): void => stop("aborted");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const timeout = setTimeout(() => stop("timeout"), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let deadline: NodeJS.Timeout | undefined;
  try {
    if (options.signal?.aborted) stop("aborted");
    const outcome = Promise.resolve()
      .then(() => consumer.start(ctx, emit))
      .then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, error }),
      );
    let settled = await Promise.race([outcome, stopped.then(() => undefined)]);
    if (settled === undefined) {
      const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
      const late = new Promise<"late">((resolve) => {
        deadline = setTimeout(() => resolve("late"), stopTimeoutMs);
      });
      const result = await Promise.race([outcome, late]);
      if (result === "late") {
        throw new FatalError(
          `consumer "${consumer.name}" did not return from start() within ${stopTimeoutMs} ms after ctx.signal ` +
            `aborted (run ended: ${ended}): check ctx.signal.aborted in loops and pass ctx.signal to waits and clients`,
        );
      }
      settled = result;
    }
    if (!settled.ok && ended === undefined) throw settled.error;
    return {
      messages,
      duplicates,
      checkpoint: await state.get(CHECKPOINT_STATE_KEY),
      ended: ended ?? "exhausted",
      ...(settled.ok ? {} : { stopError: settled.error }),
    };
  } finally {
    clearTimeout(timeout);
    clearTimeout(deadline);
    options.signal?.removeEventListener("abort", onAbort);
    // Mark the run over so emits still in flight are refused rather than counted.
    ended ??= "exhausted";
    await handle.close();
  }
}
