import { type FilterConnector, filterRoutes } from "../connector.js";
import { type FilterResult, toFilterResult } from "./filter-result.js";
import { MemoryBlobStore } from "./memory-blob-store.js";
import type { RunOptions } from "./run-options.js";
import { createTestContext } from "./test-context.js";
import { type TestInput, toTestMessage } from "./test-message.js";

/**
 * Runs a filter on one input, as the runtime would: parses the config, runs `init`, decides,
 * and always closes.
 *
 * @param filter - a connector made with `defineFilter`
 * @param config - the raw config, as a user writes it
 * @param input - a message or a message to build
 * @param options - state, blobs, step info, logger, signal
 * @returns `{ pass: false, routes: [] }` when dropped, `{ pass: true, routes: [] }` for `true`,
 *   and `{ pass: true, routes }` for named routes
 * @throws ConfigError if the config is invalid
 * @throws FatalError if the filter returns a route it does not declare (in `routes` or
 *   `routesFromConfig`), or not a decision at all
 * @example
 * ```ts
 * expect(await runFilter(bigOrders, { threshold: 100 }, { json: { amount: 250 } }))
 *   .toEqual({ pass: true, routes: ["big"] });
 * ```
 */
export async function runFilter<C, R>(
  filter: FilterConnector<C, R>,
  config: unknown,
  input: TestInput,
  options: RunOptions = {},
): Promise<FilterResult> {
  const blobs = options.blobs ?? new MemoryBlobStore();
  const handle = await createTestContext(filter, { ...options, config, blobs });
  try {
    const message = await toTestMessage(input, blobs);
    const routes = filterRoutes(filter, handle.ctx.config);
    return toFilterResult({ name: filter.name, routes }, await filter.filter(message, handle.ctx));
  } finally {
    await handle.close();
  }
}
