import { Flags } from "@oclif/core";

/**
 * `--profile <name>`: which saved login to use (`VRSKY_PROFILE` sets it too). Shared by every
 * command that calls the platform.
 */
export const profileFlag = Flags.string({
  description:
    "The saved login to use (also VRSKY_PROFILE). [default: the current profile, the one `vrsky login` saved last]",
  env: "VRSKY_PROFILE",
});
