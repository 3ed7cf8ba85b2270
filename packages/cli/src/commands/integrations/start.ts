import { VrskyCommand } from "../../base-command.js";
import { integrationNameArg } from "../../platform/integration-flags.js";
import { IntegrationsApi } from "../../platform/integrations-api.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { profileFlag } from "../../platform/profile-flag.js";
import type { IntegrationsStatusResult } from "./status.js";

/** What `vrsky integrations start --json` prints: the integration afterwards. */
export type IntegrationsStartResult = IntegrationsStatusResult;

/** `vrsky integrations start`: runs a stopped integration again. */
export default class IntegrationsStart extends VrskyCommand<IntegrationsStartResult> {
  static override summary = "Start a stopped integration: the orchestrator runs its current version again.";

  static override description =
    `Sets the integration's desired state to running; the orchestrator then starts a worker on its current version. Starting a running integration changes nothing. \`vrsky integrations status <name>\` shows when it runs. Needs a login (\`vrsky login\`).`;

  static override examples = [
    { description: "Run orders again", command: "<%= config.bin %> <%= command.id %> orders" },
  ];

  static override args = {
    name: integrationNameArg,
  };

  static override flags = {
    profile: profileFlag,
  };

  async run(): Promise<IntegrationsStartResult> {
    const { args, flags } = await this.parse(IntegrationsStart);
    const api = new IntegrationsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
    const integration = await api.setDesiredState(args.name, "start");
    const { green, bold, dim } = this.out;
    this.log(
      `${green("✓")} ${bold(integration.name)} desired state running: the orchestrator starts v${integration.currentVersion}`,
    );
    this.log(dim(`    \`vrsky integrations status ${integration.name}\` shows when it runs`));
    return { integration, url: api.url };
  }
}
