import type { Connector } from "../../connector.js";
import { runConverter } from "../run-converter.js";
import { runFilter } from "../run-filter.js";
import { runProducer } from "../run-producer.js";
import { type CheckOutcome, fail, pass, skip } from "./check-outcome.js";
import type { ConformanceOptions } from "./conformance-options.js";
import { describeThrown } from "./describe-thrown.js";
import { isFatalError, isRetryableError } from "./is-fatal-error.js";

/**
 * Checks that the connector rejects `options.badInput` with a `FatalError`, so the runtime
 * dead-letters it at once, rather than a `TypeError` or a `RetryableError`, which it would retry.
 * @param connector - a converter, filter or producer
 * @param options - the suite's options; skipped without `badInput`
 */
export async function checkTypedErrors(
  connector: Connector,
  options: ConformanceOptions,
): Promise<CheckOutcome> {
  const { badInput } = options;
  if (!badInput) return skip("no options.badInput: give a message the connector must reject");
  const run = options.info ? { info: options.info } : {};
  let error: unknown;
  let accepted = "";
  try {
    switch (connector.kind) {
      case "converter": {
        const outputs = await runConverter(connector, options.config, badInput, run);
        accepted = `converted it into ${outputs.length} message${outputs.length === 1 ? "" : "s"}`;
        break;
      }
      case "filter": {
        const result = await runFilter(connector, options.config, badInput, run);
        accepted = result.pass ? "passed it on" : "dropped it silently";
        break;
      }
      case "producer": {
        const { failures } = await runProducer(connector, options.config, [badInput], run);
        error = failures[0]?.error;
        accepted = "delivered it";
        break;
      }
      case "consumer":
        return skip("consumers take no input");
    }
  } catch (caught) {
    error = caught;
  }
  if (error === undefined) {
    return fail(
      `options.badInput was accepted: the connector ${accepted} — validate input (for example with ` +
        "msg.json(schema)) and throw a FatalError, or fix options.badInput if it is actually valid",
    );
  }
  if (isFatalError(error)) return pass();
  if (isRetryableError(error)) {
    return fail(
      `options.badInput failed with ${describeThrown(error)}: retrying bad input cannot help — ` +
        "throw a FatalError so the runtime dead-letters it at once",
    );
  }
  return fail(
    `options.badInput failed with ${describeThrown(error)} instead of a FatalError: the runtime treats untyped ` +
      "errors as transient and retries them — validate input (msg.json(schema) does) and throw " +
      "new FatalError(what is wrong and where) for messages that can never succeed",
  );
}
