import type { Connector } from "../../connector.js";
import { checkCheckpointResume } from "./check-checkpoint-resume.js";
import { checkConfigSchema } from "./check-config-schema.js";
import { checkDeclaredRoutes } from "./check-declared-routes.js";
import { checkDeterministicConverter, checkDeterministicFilter } from "./check-deterministic.js";
import { checkLifecycle } from "./check-lifecycle.js";
import { checkManifest } from "./check-manifest.js";
import { ConformanceCheck } from "./check-names.js";
import type { CheckOutcome } from "./check-outcome.js";
import { checkRetrySafe } from "./check-retry-safe.js";
import { checkTypedErrors } from "./check-typed-errors.js";
import type { ConformanceOptions } from "./conformance-options.js";
import type { ConformanceCheckResult } from "./conformance-report.js";
import { describeThrown } from "./describe-thrown.js";

/** One check of the suite, ready to run. */
export interface PlannedCheck {
  /** The check's name, one of {@link ConformanceCheck}. */
  readonly name: ConformanceCheck;
  /** Runs the check; never throws — an unexpected error is a failed check. */
  run(): Promise<ConformanceCheckResult>;
}

/**
 * The checks that apply to a connector's kind, in the order they run. Known without running
 * anything, so a test runner can register one test per check.
 *
 * @param connector - the connector under test
 * @param options - the suite's options
 */
export function planConformance(connector: Connector, options: ConformanceOptions): PlannedCheck[] {
  const checks: [ConformanceCheck, () => CheckOutcome | Promise<CheckOutcome>][] = [
    [ConformanceCheck.Manifest, () => checkManifest(connector)],
    [ConformanceCheck.ConfigSchema, () => checkConfigSchema(connector, options)],
    [ConformanceCheck.Lifecycle, () => checkLifecycle(connector, options)],
  ];
  switch (connector.kind) {
    case "consumer":
      checks.push([ConformanceCheck.CheckpointResume, () => checkCheckpointResume(connector, options)]);
      break;
    case "converter":
      checks.push(
        [ConformanceCheck.TypedErrors, () => checkTypedErrors(connector, options)],
        [ConformanceCheck.DeterministicConverter, () => checkDeterministicConverter(connector, options)],
      );
      break;
    case "filter":
      checks.push(
        [ConformanceCheck.TypedErrors, () => checkTypedErrors(connector, options)],
        [ConformanceCheck.DeterministicFilter, () => checkDeterministicFilter(connector, options)],
        [ConformanceCheck.DeclaredRoutes, () => checkDeclaredRoutes(connector, options)],
      );
      break;
    case "producer":
      checks.push(
        [ConformanceCheck.TypedErrors, () => checkTypedErrors(connector, options)],
        [ConformanceCheck.RetrySafe, () => checkRetrySafe(connector, options)],
      );
      break;
  }
  const notApplicable = options.notApplicable ?? {};
  return checks
    .filter(([name]) => notApplicable[name] === undefined)
    .map(([name, check]) => ({
      name,
      async run(): Promise<ConformanceCheckResult> {
        let outcome: CheckOutcome;
        try {
          outcome = await check();
        } catch (error) {
          return {
            name,
            ok: false,
            message: `the check could not run the connector: ${describeThrown(error)}`,
          };
        }
        if (outcome.status === "pass") return { name, ok: true };
        if (outcome.status === "skip") return { name, ok: true, skipped: true, message: outcome.message };
        return { name, ok: false, message: outcome.message };
      },
    }));
}
