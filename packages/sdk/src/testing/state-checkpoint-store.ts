import type { z } from "zod";
import type { CheckpointStore } from "../connector.js";
import type { StateStore } from "../context.js";
import { FatalError } from "../errors.js";

/** The state key under which the test kit keeps a consumer's checkpoint. */
export const CHECKPOINT_STATE_KEY = "vrsky:checkpoint";

/**
 * A consumer's {@link CheckpointStore} kept in its step state under {@link CHECKPOINT_STATE_KEY},
 * so a second run with the same state resumes where the first stopped.
 *
 * @param state - the step's state
 * @param consumer - the consumer's name and optional checkpoint schema, checked on load
 */
export function stateCheckpointStore<K>(
  state: StateStore,
  consumer: { name: string; checkpoint?: z.ZodType<K> | undefined },
): CheckpointStore<K> {
  return {
    async load() {
      const value = await state.get(CHECKPOINT_STATE_KEY);
      if (value === undefined || !consumer.checkpoint) return value as K | undefined;
      const result = consumer.checkpoint.safeParse(value);
      if (result.success) return result.data;
      const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      throw new FatalError(
        `the checkpoint stored for consumer "${consumer.name}" (state key "${CHECKPOINT_STATE_KEY}") does not ` +
          `match its checkpoint schema: ${problems.join("; ")}; delete the key to start from the beginning`,
        { cause: result.error },
      );
    },
    async save(value) {
      await state.set(CHECKPOINT_STATE_KEY, value);
    },
  };
}
