import { Flags } from "@oclif/core";
import { VrskyCommand } from "../../base-command.js";
import { integrationNameArg } from "../../platform/integration-flags.js";
import { IntegrationsApi } from "../../platform/integrations-api.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { profileFlag } from "../../platform/profile-flag.js";

/** What `vrsky integrations delete --json` prints. */
export interface IntegrationsDeleteResult {
  /** The integration deleted. */
  name: string;
  /** How many versions went with it. */
  versions: number;
  /** The platform. */
  url: string;
}

/** `vrsky integrations delete`: removes an integration for good. */
export default class IntegrationsDelete extends VrskyCommand<IntegrationsDeleteResult> {
  static override summary = "Delete an integration with all its versions, status and logs.";

  static override description =
    `Stops the integration's worker and deletes the integration with every version, its status and its logs; this cannot be undone (\`vrsky integrations stop\` keeps everything). On a terminal it asks you to type the name first, unless --yes; without a terminal (scripts, CI) it deletes without asking. Needs a login (\`vrsky login\`).`;

  static override examples = [
    {
      description: "Delete orders, confirming at the prompt",
      command: "<%= config.bin %> <%= command.id %> orders",
    },
    { description: "Delete without asking", command: "<%= config.bin %> <%= command.id %> orders --yes" },
  ];

  static override args = {
    name: integrationNameArg,
  };

  static override flags = {
    yes: Flags.boolean({ char: "y", description: "Delete without asking for confirmation." }),
    profile: profileFlag,
  };

  async run(): Promise<IntegrationsDeleteResult> {
    const { args, flags } = await this.parse(IntegrationsDelete);
    const api = new IntegrationsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
    // Read it first: a missing name fails before the prompt, and the prompt can say what goes.
    const integration = await api.get(args.name);
    const versions = integration.versions.length;
    if (this.canPrompt(flags.yes)) {
      const { promptText } = await import("../../prompts.js");
      await promptText(
        `Type ${args.name} to delete it with its ${versions} version${versions === 1 ? "" : "s"} and logs`,
        (value) => (value.trim() === args.name ? undefined : `type ${args.name} exactly, or Esc to cancel`),
      );
    }
    await api.delete(args.name);
    const { green, bold } = this.out;
    this.log(
      `${green("✓")} Deleted ${bold(args.name)} with ${versions} version${versions === 1 ? "" : "s"} from ${api.url}`,
    );
    return { name: args.name, versions, url: api.url };
  }
}
