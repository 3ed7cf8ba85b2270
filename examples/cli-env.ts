// Shared by the examples' end-to-end tests: they run the built `vrsky` as a user would.
import { join } from "node:path";

/** The built CLI's entry. */
export const cli = join(import.meta.dirname, "../packages/cli/bin/run.js");

/** The NATS server the examples run on. */
export const natsUrl = process.env.VRSKY_NATS_URL ?? "nats://127.0.0.1:4222";

/**
 * The environment for a `vrsky` child process: the test runner's variables (VITEST*, and the
 * NODE_OPTIONS that carry its module conditions) left out, the examples' NATS, no colours.
 */
export const baseEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS"),
  ),
  VRSKY_NATS_URL: natsUrl,
  NO_COLOR: "1",
};

/** A dead letter as `vrsky dlq list --json` prints it (the fields the tests read). */
export interface DeadLetter {
  id: string;
  failure: { stage: string; step: string; error: string; attempts: number };
}
