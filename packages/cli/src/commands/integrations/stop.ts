import { VrskyCommand } from "../../base-command.js";
import { integrationNameArg } from "../../platform/integration-flags.js";
import { IntegrationsApi } from "../../platform/integrations-api.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { profileFlag } from "../../platform/profile-flag.js";
import type { IntegrationsStatusResult } from "./status.js";

/** What `vrsky integrations stop --json` prints: the integration afterwards. */
export type IntegrationsStopResult = IntegrationsStatusResult;

/** `vrsky integrations stop`: stops an integration, keeping it and its versions. */
export default class IntegrationsStop extends VrskyCommand<IntegrationsStopResult> {
  static override summary = "Stop an integration: the orchestrator stops its worker; nothing is deleted.";

  static override description =
    `Sets the integration's desired state to stopped; the orchestrator then stops its worker. The integration, its versions and its logs stay: \`vrsky integrations start <name>\` runs it again, and a deploy while stopped records the new version without running it. Needs a login (\`vrsky login\`).`;

  static override examples = [
    { description: "Stop orders", command: "<%= config.bin %> <%= command.id %> orders" },
  ];

  static override args = {
    name: integrationNameArg,
  };

  static override flags = {
    profile: profileFlag,
  };

  async run(): Promise<IntegrationsStopResult> {
    const { args, flags } = await this.parse(IntegrationsStop);
    const api = new IntegrationsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
    const integration = await api.setDesiredState(args.name, "stop");
    const { green, bold, dim } = this.out;
    this.log(
      `${green("✓")} ${bold(integration.name)} desired state stopped: the orchestrator stops its worker`,
    );
    this.log(dim(`    \`vrsky integrations start ${integration.name}\` runs it again`));
    return { integration, url: api.url };
  }
}
