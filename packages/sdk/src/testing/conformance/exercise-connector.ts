import type { Connector } from "../../connector.js";
import type { StateStore } from "../../context.js";
import { MemoryBlobStore } from "../memory-blob-store.js";
import { runConsumer } from "../run-consumer.js";
import { runConverter } from "../run-converter.js";
import { runProducer } from "../run-producer.js";
import { createTestContext } from "../test-context.js";
import { createTestMessage } from "../test-message.js";
import type { ConformanceOptions } from "./conformance-options.js";
import { describeThrown } from "./describe-thrown.js";

/** Default number of messages a consumer run takes. */
export const DEFAULT_CONSUMER_MESSAGES = 4;
/** Default time a consumer run may take. */
export const DEFAULT_CONSUMER_TIMEOUT_MS = 5000;

/**
 * Runs a connector once from `init` to `close` the way the runtime would: a consumer until it
 * has emitted `options.messages` or `options.timeoutMs` passes; the other kinds over every fixture.
 *
 * @param connector - the connector under test
 * @param options - the suite's options
 * @param state - the step state, shared between runs to model a restart
 * @throws whatever the connector throws; a producer's failed deliveries as one error naming the fixture
 */
export async function exerciseConnector(
  connector: Connector,
  options: ConformanceOptions,
  state: StateStore,
): Promise<void> {
  const run = { state, ...(options.info ? { info: options.info } : {}) };
  const fixtures = options.fixtures ?? [];
  switch (connector.kind) {
    case "consumer":
      await runConsumer(connector, options.config, {
        ...run,
        maxMessages: options.messages ?? DEFAULT_CONSUMER_MESSAGES,
        timeoutMs: options.timeoutMs ?? DEFAULT_CONSUMER_TIMEOUT_MS,
      });
      return;
    case "converter":
      await runConverter(connector, options.config, fixtures, run);
      return;
    case "producer": {
      const { failures } = await runProducer(connector, options.config, fixtures, run);
      const first = failures[0];
      if (first) {
        throw new Error(
          `delivering ${failures.length} of ${fixtures.length} fixtures failed, the first with ${describeThrown(first.error)}`,
        );
      }
      return;
    }
    case "filter": {
      const blobs = new MemoryBlobStore();
      const handle = await createTestContext(connector, { ...run, config: options.config, blobs });
      try {
        for (const fixture of fixtures)
          await connector.filter(await createTestMessage(fixture, blobs), handle.ctx);
      } finally {
        await handle.close();
      }
      return;
    }
  }
}
