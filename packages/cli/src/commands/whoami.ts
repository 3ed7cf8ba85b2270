import { Flags } from "@oclif/core";
import { VrskyCommand } from "../base-command.js";
import { PlatformClient } from "../platform/platform-client.js";
import { PlatformError } from "../platform/platform-error.js";
import { profileFlag } from "../platform/profile-flag.js";
import { type CredentialSource, keyPrefix, requireCredentials } from "../platform/profiles.js";
import { SearchResult } from "../platform/registry-api.js";

/** What `vrsky whoami --json` prints; never the key itself. */
export interface WhoamiResult {
  /** The profile in use; `null` when VRSKY_API_URL and VRSKY_API_KEY supply everything. */
  profile: string | null;
  /** Where the credentials came from. */
  source: CredentialSource;
  /** Base URL of the control-plane API. */
  url: string;
  /** The start of the key, e.g. `vrsky_ab12cd…`. */
  keyPrefix: string;
  /** Whether the platform accepted the key (`null` with --offline). */
  accepted: boolean | null;
  /** What the key may not do, when the platform accepted it only partly. */
  warnings: string[];
}

/** `vrsky whoami`: which platform and key the commands use. */
export default class Whoami extends VrskyCommand<WhoamiResult> {
  static override summary =
    "Show which platform and API key the commands use, and check the key still works.";

  static override description =
    `Resolves the login the platform commands use — --profile, else VRSKY_PROFILE, else the current profile, with VRSKY_API_URL and VRSKY_API_KEY overriding — prints its URL and key prefix, and asks the platform whether it accepts the key. Exits 4 when not logged in or when the key is refused.`;

  static override examples = [
    { description: "The current login", command: "<%= config.bin %> <%= command.id %>" },
    {
      description: "Another profile, without calling the platform",
      command: "<%= config.bin %> <%= command.id %> --profile staging --offline --json",
    },
  ];

  static override flags = {
    profile: profileFlag,
    offline: Flags.boolean({ description: "Do not call the platform; only show the saved login." }),
  };

  async run(): Promise<WhoamiResult> {
    const { flags } = await this.parse(Whoami);
    const credentials = await requireCredentials({ profile: flags.profile });
    const shown = keyPrefix(credentials.key);
    const warnings: string[] = [];
    let accepted: boolean | null = null;
    if (!flags.offline) {
      const client = new PlatformClient(credentials);
      try {
        await client.request("GET", "/v1/connectors", undefined, { schema: SearchResult });
      } catch (error) {
        // FORBIDDEN: the key is genuine but lacks registry:read (or its tenant is suspended).
        if (!(error instanceof PlatformError && error.problem.code === "FORBIDDEN")) throw error;
        warnings.push(`the key is valid but limited: ${error.message}`);
      }
      accepted = true;
    }
    const { green, bold, dim } = this.out;
    for (const warning of warnings) this.warn(warning);
    const via =
      credentials.source === "env"
        ? "VRSKY_API_URL and VRSKY_API_KEY"
        : `profile ${bold(credentials.profile ?? "")}`;
    this.log(`${accepted ? `${green("✓")} ` : ""}${bold(credentials.url)} with key ${shown} (${via})`);
    if (accepted === null) this.log(dim("    not checked (--offline)"));
    return {
      profile: credentials.profile ?? null,
      source: credentials.source,
      url: credentials.url,
      keyPrefix: shown,
      accepted,
      warnings,
    };
  }
}
