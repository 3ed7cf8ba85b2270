/** What a check function returns: passed, failed with a message, or skipped with a reason. */
export type CheckOutcome =
  | { readonly status: "pass" }
  | { readonly status: "fail"; readonly message: string }
  | { readonly status: "skip"; readonly message: string };

/** The check passed. */
export const pass = (): CheckOutcome => ({ status: "pass" });

/**
 * The check failed.
 * @param problems - what is wrong and how to fix it; several are listed one per line
 */
export const fail = (...problems: readonly string[]): CheckOutcome => ({
  status: "fail",
  message: problems.join("\n"),
});

/**
 * The check could not run.
 * @param reason - what it needs, e.g. "pass options.fixtures"
 */
export const skip = (reason: string): CheckOutcome => ({ status: "skip", message: reason });
