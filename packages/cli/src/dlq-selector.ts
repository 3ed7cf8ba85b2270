import { Flags } from "@oclif/core";
import type { DeadLetterSelector } from "@vrsky/runtime";
import { CliError, CliErrorCode } from "./cli-error.js";

/** Flags that pick dead letters for replay and purge. */
export const selectorFlags = {
  seq: Flags.integer({ description: "A DLQ sequence; repeat for several.", multiple: true }),
  id: Flags.string({ description: "A message id; repeat for several.", multiple: true }),
  step: Flags.string({ description: "Everything that failed at this step or sink." }),
  "error-contains": Flags.string({ description: "Everything whose error contains this text." }),
  all: Flags.boolean({ description: "Every dead letter." }),
};

/**
 * The runtime selector for the flags given.
 * @throws CliError when no criterion is given (nothing is replayed or purged by accident)
 */
export function toSelector(flags: {
  seq?: number[] | undefined;
  id?: string[] | undefined;
  step?: string | undefined;
  "error-contains"?: string | undefined;
  all?: boolean | undefined;
}): DeadLetterSelector {
  const selector: DeadLetterSelector = {
    ...(flags.seq ? { seqs: flags.seq } : {}),
    ...(flags.id ? { ids: flags.id } : {}),
    ...(flags.step ? { step: flags.step } : {}),
    ...(flags["error-contains"] ? { errorContains: flags["error-contains"] } : {}),
    ...(flags.all ? { all: true } : {}),
  };
  if (Object.keys(selector).length === 0) {
    throw new CliError(
      CliErrorCode.InvalidInput,
      "say which dead letters: --seq, --id, --step, --error-contains or --all",
    );
  }
  return selector;
}
