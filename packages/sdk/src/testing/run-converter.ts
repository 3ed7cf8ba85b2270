import type { ConverterConnector } from "../connector.js";
import type { Message } from "../message.js";
import { toConverterOutputs } from "./converter-output.js";
import { MemoryBlobStore } from "./memory-blob-store.js";
import type { RunOptions } from "./run-options.js";
import { createTestContext } from "./test-context.js";
import { type TestInput, toTestMessage } from "./test-message.js";

/**
 * Runs a converter on one or more inputs, as the runtime would: parses the config, runs
 * `init`, converts each input in order, and always closes.
 *
 * @param converter - a connector made with `defineConverter`
 * @param config - the raw config, as a user writes it
 * @param input - a message, a message to build, or a list of them
 * @param options - state, blobs, step info, logger, signal
 * @returns the outputs of all inputs, in order; ids derive from the input's (`id`, or `id:index`
 *   when one input gives several outputs) and headers are inherited, as in the runtime
 * @throws ConfigError if the config is invalid
 * @throws whatever `convert` throws, and FatalError if it returns something that is not a message
 * @example
 * ```ts
 * const [out] = await runConverter(csvToJson, { delimiter: ";" }, { body: "a;b\n1;2" });
 * expect(await out?.json()).toEqual([{ a: "1", b: "2" }]);
 * ```
 */
export async function runConverter<C, R>(
  converter: ConverterConnector<C, R>,
  config: unknown,
  input: TestInput | readonly TestInput[],
  options: RunOptions = {},
): Promise<Message[]> {
  const blobs = options.blobs ?? new MemoryBlobStore();
  const handle = await createTestContext(converter, { ...options, config, blobs });
  try {
    const inputs: readonly TestInput[] = Array.isArray(input) ? input : [input as TestInput];
    const outputs: Message[] = [];
    for (const item of inputs) {
      const message = await toTestMessage(item, blobs);
      const output = await converter.convert(message, handle.ctx);
      const converted = await toConverterOutputs(converter.name, message, output, {
        blobs,
        ...(options.referenceThreshold === undefined ? {} : { threshold: options.referenceThreshold }),
      });
      // A loop, not push(...converted): a converter may split one message into 100,000s.
      for (const m of converted) outputs.push(m);
    }
    return outputs;
  } finally {
    await handle.close();
  }
}
