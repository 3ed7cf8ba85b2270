import type { StepInfo } from "../../context.js";
import type { MessageInit } from "../../message.js";
import type { ConformanceCheck } from "./check-names.js";

/** A config the connector's schema must reject, and why. */
export interface InvalidConfig {
  /** The raw config. */
  config: unknown;
  /** Why it is invalid, shown if the schema accepts it, e.g. "url is not a URL". */
  reason: string;
}

/** Options of the conformance suite. Only `config` is required; each check says what it lacks. */
export interface ConformanceOptions {
  /**
   * Checks that cannot apply to this connector, each with the reason — e.g. a producer whose
   * target takes no idempotency key cannot be retry-safe. They are left out of the suite instead
   * of being skipped or faked; the reason documents the decision where the suite is called.
   * @example `{ notApplicable: { [ConformanceCheck.RetrySafe]: "Slack webhooks take no idempotency key" } }`
   */
  notApplicable?: Partial<Record<ConformanceCheck, string>>;

  /** A valid raw config to run the connector with. */
  config: unknown;
  /**
   * Configs the schema must reject, on top of generated ones (`null`, a number, and for object
   * schemas `config` with each required field removed).
   * @default []
   */
  invalidConfigs?: readonly InvalidConfig[];
  /** Valid inputs for converters, filters and producers; checks that need inputs skip without. @default [] */
  fixtures?: readonly MessageInit[];
  /** An input the connector must reject with a `FatalError` (converters, filters, producers). */
  badInput?: MessageInit;
  /** Consumers: how many messages each run takes. @default 4 */
  messages?: number;
  /** Consumers: how long one run may take before it is stopped, in milliseconds. @default 5000 */
  timeoutMs?: number;
  /**
   * Producers: the target system's observable state (rows, files, requests received). Used to
   * check that delivering the same message id twice has the same effect as once.
   */
  observe?: () => Promise<unknown>;
  /** Runs once before the checks (start a server, create a temp dir). */
  setup?: () => void | Promise<void>;
  /** Runs once after the checks, even when one fails. */
  teardown?: () => void | Promise<void>;
  /** How long handles may take to close after `close()` before they count as leaked, in ms. @default 1000 */
  settleMs?: number;
  /** Where the connector claims to run. @default the test kit's defaults */
  info?: Partial<StepInfo>;
}
