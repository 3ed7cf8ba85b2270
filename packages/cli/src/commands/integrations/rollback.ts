import { Flags } from "@oclif/core";
import { VrskyCommand } from "../../base-command.js";
import { CliError, CliErrorCode } from "../../cli-error.js";
import { integrationNameArg, parseVersionFlag } from "../../platform/integration-flags.js";
import { type IntegrationDetail, IntegrationsApi } from "../../platform/integrations-api.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { profileFlag } from "../../platform/profile-flag.js";

/** What `vrsky integrations rollback --json` prints. */
export interface IntegrationsRollbackResult {
  /** The integration. */
  name: string;
  /** The version current before the rollback. */
  from: number;
  /** The version whose spec was restored. */
  to: number;
  /** The new version, carrying that spec. */
  version: number;
  /** The platform. */
  url: string;
}

/** `vrsky integrations rollback`: makes an older version's spec current again. */
export default class IntegrationsRollback extends VrskyCommand<IntegrationsRollbackResult> {
  static override summary = "Roll an integration back to an older version's spec.";

  static override description =
    `Deploys the spec of an older version (and the exact registry connector bundles it was pinned to) as a new version, so the history only grows: rolling back v3 to v1 makes v4 with v1's spec. Without --to it goes back to the version before the current one. The orchestrator then runs the new version; \`vrsky integrations status <name>\` shows when. Needs a login (\`vrsky login\`).`;

  static override examples = [
    {
      description: "Undo the last deploy of orders",
      command: "<%= config.bin %> <%= command.id %> orders",
    },
    { description: "Go back to version 2", command: "<%= config.bin %> <%= command.id %> orders --to 2" },
  ];

  static override args = {
    name: integrationNameArg,
  };

  static override flags = {
    to: Flags.string({
      description: "The version to go back to, e.g. 2 (or v2). [default: the one before the current version]",
      helpValue: "<version>",
    }),
    profile: profileFlag,
  };

  async run(): Promise<IntegrationsRollbackResult> {
    const { args, flags } = await this.parse(IntegrationsRollback);
    const wanted = flags.to === undefined ? undefined : parseVersionFlag("--to", flags.to);
    const api = new IntegrationsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
    const integration = await api.get(args.name);
    const to = wanted ?? previousVersion(integration);
    const from = integration.currentVersion;
    if (to === from) {
      throw new CliError(CliErrorCode.InvalidInput, `v${to} is already the current version of ${args.name}`, {
        suggestions: [`\`vrsky integrations status ${args.name}\` lists its versions`],
      });
    }
    const deployed = await this.progress(`Rolling ${args.name} back to v${to}`, () =>
      api.rollback(args.name, to),
    );
    const { green, bold, dim } = this.out;
    this.log(
      `${green("✓")} ${bold(`${deployed.name} v${deployed.version}`)} deployed with the spec of v${to}`,
    );
    this.log(dim(`    \`vrsky integrations status ${deployed.name}\` shows when it runs`));
    return { name: deployed.name, from, to, version: deployed.version, url: api.url };
  }
}

function previousVersion(integration: IntegrationDetail): number {
  const { name, currentVersion, versions } = integration;
  const older = versions.map((v) => v.version).filter((v) => v < currentVersion);
  if (older.length === 0) {
    throw new CliError(
      CliErrorCode.InvalidInput,
      `${name} has only v${currentVersion}: there is no earlier version to roll back to`,
      { suggestions: [`deploy a fixed spec with \`vrsky deploy <spec file>\` instead`] },
    );
  }
  return Math.max(...older);
}
