import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { ConsumerConnector } from "../../connector.js";
import type { Message } from "../../message.js";
import { MemoryStateStore } from "../memory-state-store.js";
import { runConsumer } from "../run-consumer.js";
import { type CheckOutcome, fail, pass, skip } from "./check-outcome.js";
import type { ConformanceOptions } from "./conformance-options.js";
import { DEFAULT_CONSUMER_MESSAGES, DEFAULT_CONSUMER_TIMEOUT_MS } from "./exercise-connector.js";

/**
 * Simulates a crash and a restart: the first run accepts some messages, then rejects one (as
 * when the worker dies before JetStream stores it); the second run, with the same state, must
 * emit the rejected message again (nothing lost), must not emit an accepted one again unless
 * its `key` lets the runtime drop it as a duplicate (nothing repeated), and must advance the
 * checkpoint. Messages are compared by content type, headers and body.
 *
 * @param consumer - the consumer under test
 * @param options - the suite's options (`messages`, `timeoutMs`)
 */
export async function checkCheckpointResume(
  consumer: ConsumerConnector,
  options: ConformanceOptions,
): Promise<CheckOutcome> {
  const total = Math.max(2, options.messages ?? DEFAULT_CONSUMER_MESSAGES);
  const keep = Math.max(1, Math.floor(total / 2));
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONSUMER_TIMEOUT_MS;
  const state = new MemoryStateStore();
  const base = { state, timeoutMs, ...(options.info ? { info: options.info } : {}) };

  let rejected: string | undefined;
  const first = await runConsumer(consumer, options.config, {
    ...base,
    accept: async (message, index) => {
      if (index < keep) return true;
      rejected = await fingerprint(message);
      return false;
    },
  });
  if (rejected === undefined) {
    if (first.messages.length === 0 && !consumer.checkpoint) {
      return skip(
        `emitted no messages within ${timeoutMs} ms on its own, so resumption cannot be checked: ` +
          "produce input for it in options.setup, or raise options.timeoutMs",
      );
    }
    return fail(
      `emitted ${first.messages.length} message(s) before the run ended (${first.ended}); the check needs at least ` +
        `${keep + 1}: give a config that produces more messages, or raise options.timeoutMs`,
    );
  }
  if (first.checkpoint === undefined && consumer.checkpoint) {
    return fail(
      `declares a checkpoint schema but saved no checkpoint for ${keep} accepted message(s): ` +
        "pass { checkpoint } to emit (saved after acceptance) or call ctx.checkpoint.save()",
    );
  }

  const second = await runConsumer(consumer, options.config, { ...base, maxMessages: total - keep });
  const before = new Set(await Promise.all(first.messages.map(fingerprint)));
  const after = await Promise.all(second.messages.map(fingerprint));
  const problems: string[] = [];
  if (!after.includes(rejected)) {
    problems.push(
      `message ${keep} was rejected in the first run (a simulated crash) but was not emitted after the restart, ` +
        `so it is lost (restart emitted ${after.length} message(s), ended: ${second.ended}): save the checkpoint only ` +
        "through emit's checkpoint option or after `await emit(…)` resolves, never before",
    );
  }
  const repeated = after.filter((print) => before.has(print)).length;
  if (repeated > 0) {
    problems.push(
      `after the restart it emitted ${repeated} message(s) again that were accepted before the crash: resume from ` +
        "await ctx.checkpoint.load(), or give each message a stable key so the runtime drops it as a duplicate",
    );
  }
  if (
    first.checkpoint !== undefined &&
    second.messages.length > 0 &&
    isDeepStrictEqual(first.checkpoint, second.checkpoint)
  ) {
    problems.push(
      `the checkpoint did not advance after the restart accepted ${second.messages.length} message(s): ` +
        "pass the position reached with each emit, e.g. emit(msg, { checkpoint: offset + 1 })",
    );
  }
  return problems.length === 0 ? pass() : fail(...problems);
}

async function fingerprint(message: Message): Promise<string> {
  const hash = createHash("sha256").update(message.contentType).update("\0");
  for (const [name, value] of Object.entries(message.headers).sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`${name}:${value}\0`);
  }
  return hash.update(await message.bytes()).digest("hex");
}
