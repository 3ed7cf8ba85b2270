import type { BatchOutcome, DeliveryContext, ProducerConnector } from "../connector.js";
import { FatalError } from "../errors.js";
import type { Message } from "../message.js";
import { MemoryBlobStore } from "./memory-blob-store.js";
import type { RunOptions } from "./run-options.js";
import { createTestContext } from "./test-context.js";
import { createTestMessage, isMessage, type TestInput } from "./test-message.js";

/** Options of {@link runProducer}. */
export interface RunProducerOptions extends RunOptions {
  /**
   * The delivery attempt every input is delivered as (`ctx.attempt` and `meta.attempt`).
   * @default each message's own `attempt`, 1 unless pinned
   */
  attempt?: number;
  /** Deliver through `deliverBatch` (in batches of `batch.maxSize`) when the producer has one. @default false */
  batch?: boolean;
}

/** A message the producer failed to deliver, and why. */
export interface DeliveryFailure {
  /** The message. */
  message: Message;
  /** What `deliver` threw, or the failed batch outcome's error. */
  error: unknown;
}

/** The outcome of {@link runProducer}. */
export interface ProducerRunResult {
  /** Messages delivered, in order. */
  delivered: Message[];
  /** Messages that failed, in order, with their errors. */
  failures: DeliveryFailure[];
}

/**
 * Delivers messages through a producer, as the runtime would: parses the config, runs `init`,
 * delivers every input (a failure does not stop the others), and always closes.
 *
 * @param producer - a connector made with `defineProducer`
 * @param config - the raw config, as a user writes it
 * @param inputs - messages or messages to build; build them yourself with a fixed `id` to
 *   deliver "the same message" twice
 * @param options - attempt number, batching, state, blobs, step info, logger, signal
 * @returns the delivered messages and the failures with their errors
 * @throws ConfigError if the config is invalid
 * @throws FatalError if `deliverBatch` returns a number of outcomes other than the batch size
 * @example
 * ```ts
 * const msg = await createTestMessage({ id: "m1", json: { id: 7 } });
 * await runProducer(sink, config, [msg]);
 * await runProducer(sink, config, [msg], { attempt: 2 }); // a retry: must not insert twice
 * ```
 */
export async function runProducer<C, R>(
  producer: ProducerConnector<C, R>,
  config: unknown,
  inputs: readonly TestInput[],
  options: RunProducerOptions = {},
): Promise<ProducerRunResult> {
  const blobs = options.blobs ?? new MemoryBlobStore();
  const { attempt } = options;
  const handle = await createTestContext(producer, { ...options, config, blobs });
  try {
    const messages: Message[] = [];
    for (const input of inputs) {
      const message = isMessage(input) ? input : await createTestMessage(input, blobs);
      messages.push(
        attempt === undefined || message.meta.attempt === attempt ? message : message.withMeta({ attempt }),
      );
    }
    const contextFor = (message: Message): DeliveryContext<C, R> => ({
      ...handle.ctx,
      attempt: message.meta.attempt,
    });
    const result: ProducerRunResult = { delivered: [], failures: [] };
    const record = (message: Message, outcome: BatchOutcome): void => {
      if (outcome.ok) result.delivered.push(message);
      else result.failures.push({ message, error: outcome.error });
    };
    if (options.batch && producer.deliverBatch) {
      const size = Math.max(1, producer.batch?.maxSize ?? 100);
      for (let start = 0; start < messages.length; start += size) {
        const batch = messages.slice(start, start + size);
        const ctx = contextFor(batch[0] as Message);
        for (const [i, outcome] of (await deliverBatch(producer, batch, ctx)).entries()) {
          record(batch[i] as Message, outcome);
        }
      }
      return result;
    }
    for (const message of messages) {
      try {
        await producer.deliver(message, contextFor(message));
        record(message, { ok: true });
      } catch (error) {
        record(message, { ok: false, error });
      }
    }
    return result;
  } finally {
    await handle.close();
  }
}

async function deliverBatch<C, R>(
  producer: ProducerConnector<C, R>,
  batch: readonly Message[],
  ctx: DeliveryContext<C, R>,
): Promise<readonly BatchOutcome[]> {
  let returned: unknown;
  try {
    returned = await producer.deliverBatch?.(batch, ctx);
  } catch (error) {
    return batch.map(() => ({ ok: false, error }));
  }
  if (!Array.isArray(returned)) return batch.map(() => ({ ok: true }));
  const outcomes: readonly BatchOutcome[] = returned;
  if (outcomes.length !== batch.length) {
    throw new FatalError(
      `producer "${producer.name}" returned ${outcomes.length} outcomes from deliverBatch for a batch of ` +
        `${batch.length} messages: return nothing when all succeeded, or exactly one outcome per message, in order`,
    );
  }
  return outcomes;
}
