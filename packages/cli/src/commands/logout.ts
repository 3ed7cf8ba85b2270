import { Flags } from "@oclif/core";
import { VrskyCommand } from "../base-command.js";
import { CliError, CliErrorCode } from "../cli-error.js";
import { profilesPath, readProfiles, removeProfile } from "../platform/profiles.js";

/** What `vrsky logout --json` prints. */
export interface LogoutResult {
  /** The profile logged out of; `null` when there was none to log out of. */
  profile: string | null;
  /** Whether a saved key was removed. */
  removed: boolean;
  /** Profiles still saved. */
  remaining: string[];
  /** The profiles file. */
  file: string;
}

/** `vrsky logout`: forgets a saved login. */
export default class Logout extends VrskyCommand<LogoutResult> {
  static override summary = "Remove a saved login (its URL and API key) from this machine.";

  static override description =
    `Deletes the profile from profiles.json; when it was the current profile, no profile is current afterwards. The key itself stays valid on the platform: revoke it there (DELETE /v1/keys/:id) if it leaked. Logging out when not logged in does nothing and succeeds.`;

  static override examples = [
    { description: "Log out of the current profile", command: "<%= config.bin %> <%= command.id %>" },
    {
      description: "Log out of a named profile",
      command: "<%= config.bin %> <%= command.id %> --profile staging",
    },
  ];

  static override flags = {
    profile: Flags.string({
      description: "The profile to remove (also VRSKY_PROFILE). [default: the current profile]",
      env: "VRSKY_PROFILE",
    }),
  };

  async run(): Promise<LogoutResult> {
    const { flags } = await this.parse(Logout);
    const file = profilesPath();
    const saved = await readProfiles();
    const profile = flags.profile || saved.current;
    const { green, bold, dim } = this.out;
    if (profile === undefined) {
      this.log("Not logged in; nothing to do.");
      return { profile: null, removed: false, remaining: Object.keys(saved.profiles).sort(), file };
    }
    if (flags.profile && saved.profiles[profile] === undefined) {
      const names = Object.keys(saved.profiles).sort();
      throw new CliError(CliErrorCode.NotFound, `there is no profile "${profile}" in ${file}`, {
        suggestions: [names.length > 0 ? `saved profiles: ${names.join(", ")}` : "no profile is saved"],
      });
    }
    const { removed, remaining } = await removeProfile(profile);
    this.log(`${green("✓")} Logged out of profile ${bold(profile)}; its key was removed from ${file}`);
    if (remaining.length > 0) {
      this.log(dim(`    still saved: ${remaining.join(", ")} (use one with --profile or VRSKY_PROFILE)`));
    }
    return { profile, removed, remaining, file };
  }
}
