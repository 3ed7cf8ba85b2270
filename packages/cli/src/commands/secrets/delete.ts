import { Args } from "@oclif/core";
import { VrskyCommand } from "../../base-command.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { profileFlag } from "../../platform/profile-flag.js";
import { checkSecretName, SecretsApi } from "../../platform/secrets-api.js";

/** What `vrsky secrets delete --json` prints. */
export interface SecretsDeleteResult {
  name: string;
  /** The platform. */
  url: string;
}

/** `vrsky secrets delete`: removes a secret no integration uses. */
export default class SecretsDelete extends VrskyCommand<SecretsDeleteResult> {
  static override summary = "Delete a secret that no deployed integration refers to.";

  static override description =
    "Refused while the current version of an integration refers to it (the error names them): deploy them without it, or delete them, first. Needs a login (`vrsky login`) with the secrets:write scope.";

  static override examples = [
    { description: "Delete slack-token", command: "<%= config.bin %> <%= command.id %> slack-token" },
  ];

  static override args = {
    name: Args.string({ description: "The secret's name.", required: true }),
  };

  static override flags = {
    profile: profileFlag,
  };

  async run(): Promise<SecretsDeleteResult> {
    const { args, flags } = await this.parse(SecretsDelete);
    const name = checkSecretName(args.name);
    const api = new SecretsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
    await api.delete(name);
    this.log(`${this.out.green("✓")} Deleted secret ${this.out.bold(name)} from ${api.url}`);
    return { name, url: api.url };
  }
}
