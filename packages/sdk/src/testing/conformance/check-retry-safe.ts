import { randomUUID } from "node:crypto";
import { inspect, isDeepStrictEqual } from "node:util";
import type { ProducerConnector } from "../../connector.js";
import { MemoryBlobStore } from "../memory-blob-store.js";
import { createTestContext } from "../test-context.js";
import { createTestMessage } from "../test-message.js";
import { type CheckOutcome, fail, pass, skip } from "./check-outcome.js";
import type { ConformanceOptions } from "./conformance-options.js";
import { describeThrown } from "./describe-thrown.js";

/**
 * Delivers each fixture, observes the target, delivers the same message again as attempt 2 (a
 * retry after a lost acknowledgement) and observes again: the two observations must be equal.
 * @param producer - the producer under test
 * @param options - the suite's options; skipped without `observe` or fixtures
 */
export async function checkRetrySafe(
  producer: ProducerConnector,
  options: ConformanceOptions,
): Promise<CheckOutcome> {
  const { observe } = options;
  if (!observe) return skip("no options.observe: give a function returning the target system's state");
  const fixtures = options.fixtures ?? [];
  if (fixtures.length === 0) return skip("no options.fixtures: give messages to deliver");
  const blobs = new MemoryBlobStore();
  const handle = await createTestContext(producer, {
    config: options.config,
    blobs,
    ...(options.info ? { info: options.info } : {}),
  });
  try {
    for (const [i, fixture] of fixtures.entries()) {
      const message = await createTestMessage({ ...fixture, id: `conformance-${randomUUID()}` }, blobs);
      const observed: unknown[] = [];
      for (const attempt of [1, 2]) {
        try {
          await producer.deliver(message.withMeta({ attempt }), { ...handle.ctx, attempt });
        } catch (error) {
          return fail(`fixture ${i}: delivery attempt ${attempt} failed with ${describeThrown(error)}`);
        }
        observed.push(await observe());
      }
      const [once, twice] = observed;
      if (!isDeepStrictEqual(once, twice)) {
        return fail(
          `fixture ${i}: delivering message ${message.id} again (attempt 2) changed the target — ` +
            `after one delivery: ${show(once)}; after two: ${show(twice)}. Use msg.id as an idempotency key ` +
            "(an upsert or insert-if-absent keyed by it, a file named after it, an Idempotency-Key header)",
        );
      }
    }
  } finally {
    await handle.close();
  }
  return pass();
}

function show(value: unknown): string {
  const text = inspect(value, { depth: 3, breakLength: Number.POSITIVE_INFINITY });
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
