import { VrskyCommand } from "../../base-command.js";
import { formatTime } from "../../platform/format-time.js";
import { integrationNameArg } from "../../platform/integration-flags.js";
import { type IntegrationDetail, IntegrationsApi } from "../../platform/integrations-api.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { printTable } from "../../platform/print-table.js";
import { profileFlag } from "../../platform/profile-flag.js";

/** What `vrsky integrations status --json` prints. */
export interface IntegrationsStatusResult {
  /** The integration: desired state, current version, last status and every version. */
  integration: IntegrationDetail;
  /** The platform asked. */
  url: string;
}

/** `vrsky integrations status`: one integration in detail. */
export default class IntegrationsStatus extends VrskyCommand<IntegrationsStatusResult> {
  static override summary = "Show an integration: its state, worker, counters, last error and versions.";

  static override description =
    `Shows what the orchestrator last reported about an integration — its state (starting, running, stopped, failed, restarting), the version and worker running it, its message counters and its last error — next to what you asked for (the desired state and the current version), and every deployed version, newest first. Needs a login (\`vrsky login\`).`;

  static override examples = [
    { description: "How orders is doing", command: "<%= config.bin %> <%= command.id %> orders" },
    { description: "The same as JSON", command: "<%= config.bin %> <%= command.id %> orders --json" },
  ];

  static override args = {
    name: integrationNameArg,
  };

  static override flags = {
    profile: profileFlag,
  };

  async run(): Promise<IntegrationsStatusResult> {
    const { args, flags } = await this.parse(IntegrationsStatus);
    const api = new IntegrationsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
    const integration = await api.get(args.name);
    this.#print(integration);
    return { integration, url: api.url };
  }

  #print(integration: IntegrationDetail): void {
    const { bold, dim, red, green } = this.out;
    const { status } = integration;
    this.log(
      `${bold(integration.name)} v${integration.currentVersion}  ${dim(`desired: ${integration.desiredState}`)}`,
    );
    const rows: [string, string][] = [];
    if (status === null) {
      rows.push(["state", "no status reported yet (no orchestrator has picked it up)"]);
    } else {
      const paint = status.state === "running" ? green : status.state === "failed" ? red : (t: string) => t;
      const version = status.version === null ? "" : ` v${status.version}`;
      const worker = status.worker === null ? "" : ` on worker ${status.worker}`;
      rows.push([
        "state",
        `${paint(status.state)}${version}${worker}, reported ${formatTime(status.updatedAt)}`,
      ]);
      if (status.error !== null) rows.push(["error", red(status.error)]);
      const counters = Object.entries(status.counters ?? {});
      if (counters.length > 0) rows.push(["counters", counters.map(([k, v]) => `${k}=${v}`).join("  ")]);
    }
    rows.push(["updated", formatTime(integration.updatedAt)]);
    for (const [key, value] of rows) this.log(`  ${key.padEnd(10)}${value}`);
    this.log("");
    this.log(bold("Versions"));
    printTable(
      { log: (line) => this.log(`  ${line}`) },
      this.out,
      ["VERSION", "DEPLOYED"],
      integration.versions.map((v) => [
        v.version === integration.currentVersion ? `v${v.version} (current)` : `v${v.version}`,
        formatTime(v.createdAt),
      ]),
    );
  }
}
