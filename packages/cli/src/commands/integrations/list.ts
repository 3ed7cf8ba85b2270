import { VrskyCommand } from "../../base-command.js";
import { formatTime } from "../../platform/format-time.js";
import { type IntegrationSummary, IntegrationsApi } from "../../platform/integrations-api.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { printTable } from "../../platform/print-table.js";
import { profileFlag } from "../../platform/profile-flag.js";

/** What `vrsky integrations list --json` prints. */
export interface IntegrationsListResult {
  /** The tenant's integrations, by name. */
  integrations: IntegrationSummary[];
  /** The platform asked. */
  url: string;
}

/** `vrsky integrations list`: the tenant's integrations and what runs. */
export default class IntegrationsList extends VrskyCommand<IntegrationsListResult> {
  static override summary = "List your integrations on the platform, with what each one runs.";

  static override description =
    `Lists the integrations of your tenant: the desired state (running or stopped), the current version, and what the orchestrator last reported — its state and the version the worker runs ("-" until an orchestrator picks it up). Needs a login (\`vrsky login\`).`;

  static override examples = [
    { description: "Your integrations", command: "<%= config.bin %> <%= command.id %>" },
    {
      description: "The same as JSON, with counters and errors",
      command: "<%= config.bin %> <%= command.id %> --json",
    },
  ];

  static override flags = {
    profile: profileFlag,
  };

  async run(): Promise<IntegrationsListResult> {
    const { flags } = await this.parse(IntegrationsList);
    const api = new IntegrationsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
    const integrations = await api.list();
    if (integrations.length === 0) {
      this.log(`No integrations in ${api.url}; deploy one with \`vrsky deploy <spec file>\`.`);
    } else {
      printTable(
        this,
        this.out,
        ["NAME", "DESIRED", "STATE", "VERSION", "RUNNING", "UPDATED"],
        integrations.map((i) => [
          i.name,
          i.desiredState,
          i.status?.state ?? "-",
          `v${i.currentVersion}`,
          i.status?.version == null ? "-" : `v${i.status.version}`,
          formatTime(i.updatedAt),
        ]),
      );
      const count = `${integrations.length} integration${integrations.length === 1 ? "" : "s"}`;
      this.log(this.out.dim(`\n${count} in ${api.url}`));
    }
    return { integrations, url: api.url };
  }
}
