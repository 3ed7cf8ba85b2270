import type { ConnectorKind } from "../../connector.js";

/** The outcome of one conformance check. */
export interface ConformanceCheckResult {
  /** The check, as a sentence about the connector, e.g. "manifest is complete". */
  name: string;
  /** Whether it passed; a skipped check counts as passed. */
  ok: boolean;
  /** What is wrong and how to fix it (failed), or why it did not run (skipped). */
  message?: string;
  /** The check could not run with the options given (the message says what it needs). */
  skipped?: boolean;
}

/** The outcome of {@link checkConformance}. */
export interface ConformanceReport {
  /** Whether every check passed. */
  ok: boolean;
  /** Connector name. */
  connector: string;
  /** Connector kind. */
  kind: ConnectorKind;
  /** Every check, in the order run. */
  checks: ConformanceCheckResult[];
}
