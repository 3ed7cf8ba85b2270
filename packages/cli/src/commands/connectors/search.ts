import { Args, Flags } from "@oclif/core";
import { ConnectorKind } from "@vrsky/sdk";
import { VrskyCommand } from "../../base-command.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { printTable } from "../../platform/print-table.js";
import { profileFlag } from "../../platform/profile-flag.js";
import { type ConnectorSummary, SearchResult } from "../../platform/registry-api.js";

/** What `vrsky connectors search --json` prints. */
export interface ConnectorsSearchResult {
  /** Matching connectors, each with its latest non-yanked version, by name. */
  connectors: ConnectorSummary[];
  /** The registry searched. */
  url: string;
}

/** `vrsky connectors search`: finds connectors in the platform's registry. */
export default class ConnectorsSearch extends VrskyCommand<ConnectorsSearchResult> {
  static override summary = "Search the platform's connector registry.";

  static override description =
    `Lists the public connectors of the registry plus your tenant's private ones, each with its latest version that is not yanked. The query matches the name and the description, case-insensitively. Needs a login (\`vrsky login\`).`;

  static override examples = [
    { description: "Everything you can use", command: "<%= config.bin %> <%= command.id %>" },
    {
      description: "Producers about Slack, as JSON",
      command: "<%= config.bin %> <%= command.id %> slack --kind producer --json",
    },
  ];

  static override args = {
    query: Args.string({ description: "Text to find in the name or description." }),
  };

  static override flags = {
    kind: Flags.option({
      options: Object.values(ConnectorKind),
      description: "Only connectors of this kind.",
    })(),
    category: Flags.string({ description: "Only connectors in this category, e.g. transform." }),
    profile: profileFlag,
  };

  async run(): Promise<ConnectorsSearchResult> {
    const { args, flags } = await this.parse(ConnectorsSearch);
    const client = await PlatformClient.fromProfile({ profile: flags.profile });
    const { items } = await client.request("GET", "/v1/connectors", undefined, {
      schema: SearchResult,
      query: { q: args.query, kind: flags.kind, category: flags.category },
    });
    if (items.length === 0) {
      this.log(`No connector in ${client.url} matches.`);
    } else {
      printTable(
        this,
        this.out,
        ["NAME", "KIND", "LATEST", "VISIBILITY", "DESCRIPTION"],
        items.map((c) => [c.name, c.kind, c.latest, c.visibility, c.description]),
      );
      this.log(this.out.dim(`\n${items.length} connector${items.length === 1 ? "" : "s"} in ${client.url}`));
    }
    return { connectors: items, url: client.url };
  }
}
