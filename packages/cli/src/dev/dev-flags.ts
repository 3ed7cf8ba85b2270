import { Flags } from "@oclif/core";

/** The flags every command that talks to the local runtime shares. */
export const devTargetFlags = {
  "nats-url": Flags.string({
    description: "NATS of the runtime (default: the running `vrsky dev` session).",
  }),
  integration: Flags.string({ char: "i", description: "Integration name (default: the running session's)." }),
};
