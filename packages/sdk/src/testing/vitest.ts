/**
 * The conformance suite as vitest tests: `describeConformance(connector, options)` in a test
 * file registers one test per check. Needs vitest (an optional peer dependency of the SDK).
 * @packageDocumentation
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import type { Connector } from "../connector.js";
import type { ConformanceOptions } from "./conformance/conformance-options.js";
import { planConformance } from "./conformance/plan-conformance.js";

/** Options of {@link describeConformance}: the suite's options plus test timeouts. */
export interface DescribeConformanceOptions extends ConformanceOptions {
  /** Timeout of each check's test, and of `setup` and `teardown`, in milliseconds. @default 30000 */
  testTimeoutMs?: number;
}

/**
 * Registers the conformance suite as a vitest `describe("<name> conformance")` block with one
 * test per check; a check that cannot run with the given options is reported as skipped, with
 * the reason. `setup` runs in `beforeAll`, `teardown` in `afterAll`.
 *
 * @param connector - a connector made with a `define*` helper
 * @param options - a valid config, fixtures, and what the kind-specific checks need
 * @example
 * ```ts
 * import { describeConformance } from "@vrsky/sdk/testing/vitest";
 * import ticker from "./ticker.js";
 *
 * describeConformance(ticker, { config: { intervalMs: 1 } });
 * ```
 */
export function describeConformance(connector: Connector, options: DescribeConformanceOptions): void {
  const timeout = options.testTimeoutMs ?? 30_000;
  describe(`${connector.name} conformance`, () => {
    const { setup, teardown } = options;
    if (setup) beforeAll(async () => setup(), timeout);
    if (teardown) afterAll(async () => teardown(), timeout);
    for (const check of planConformance(connector, options)) {
      it(check.name, { timeout }, async (context) => {
        const result = await check.run();
        if (result.skipped) context.skip(result.message);
        if (!result.ok) throw new ConformanceFailure(connector.name, check.name, result.message ?? "failed");
      });
    }
  });
}

/** Thrown by a conformance test whose check failed; the message says what to fix. */
export class ConformanceFailure extends Error {
  /**
   * @param connector - connector name
   * @param check - the failed check
   * @param message - what is wrong and how to fix it
   */
  constructor(connector: string, check: string, message: string) {
    super(`${connector} fails "${check}":\n${message}`);
    this.name = "ConformanceFailure";
  }
}
