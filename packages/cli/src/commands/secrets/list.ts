import { VrskyCommand } from "../../base-command.js";
import { formatTime } from "../../platform/format-time.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { printTable } from "../../platform/print-table.js";
import { profileFlag } from "../../platform/profile-flag.js";
import { type SecretInfo, SecretsApi } from "../../platform/secrets-api.js";

/** What `vrsky secrets list --json` prints: names, never values. */
export interface SecretsListResult {
  secrets: SecretInfo[];
  /** The platform. */
  url: string;
}

/** `vrsky secrets list`: the tenant's secrets, without values. */
export default class SecretsList extends VrskyCommand<SecretsListResult> {
  static override summary = "List your secrets (names, when they changed, which integrations use them).";

  static override description =
    "Values are never shown: the platform keeps them sealed and gives them only to the workers that need them. Needs a login (`vrsky login`) with the secrets:read scope.";

  static override examples = [{ description: "List them", command: "<%= config.bin %> <%= command.id %>" }];

  static override flags = {
    profile: profileFlag,
  };

  async run(): Promise<SecretsListResult> {
    const { flags } = await this.parse(SecretsList);
    const api = new SecretsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
    const secrets = await api.list();
    if (secrets.length === 0) {
      this.log(`No secrets in ${api.url}; set one with \`vrsky secrets set <name>\`.`);
    } else {
      printTable(
        this,
        this.out,
        ["NAME", "UPDATED", "USED BY"],
        secrets.map((s) => [s.name, formatTime(s.updatedAt), s.usedBy.join(", ") || "-"]),
      );
    }
    return { secrets, url: api.url };
  }
}
