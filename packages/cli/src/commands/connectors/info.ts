import { Args } from "@oclif/core";
import { VrskyCommand } from "../../base-command.js";
import { CliError } from "../../cli-error.js";
import { type ConfigField, configFields } from "../../platform/config-fields.js";
import { formatSize } from "../../platform/format-size.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { PlatformError } from "../../platform/platform-error.js";
import { printTable } from "../../platform/print-table.js";
import { profileFlag } from "../../platform/profile-flag.js";
import { ConnectorDetail } from "../../platform/registry-api.js";

/** What `vrsky connectors info --json` prints. */
export interface ConnectorsInfoResult {
  /** The registry's answer: summary, config JSON Schema, secret paths, every version. */
  connector: ConnectorDetail;
  /** The config fields, read from the JSON Schema. */
  fields: ConfigField[];
  /** The registry asked. */
  url: string;
}

/** `vrsky connectors info`: one registry connector in detail. */
export default class ConnectorsInfo extends VrskyCommand<ConnectorsInfoResult> {
  static override summary = "Show a registry connector: its config fields and every published version.";

  static override description =
    `Shows a connector of the platform's registry — your tenant's own connector of that name first, else the public one — with its config fields (name, type, whether required or secret, default, description, read from the config JSON Schema) and every version with its sha256, size, date and whether it was yanked. Needs a login (\`vrsky login\`).`;

  static override examples = [
    { description: "A connector's details", command: "<%= config.bin %> <%= command.id %> order-total" },
    {
      description: "The same as JSON, with the full config JSON Schema",
      command: "<%= config.bin %> <%= command.id %> order-total --json",
    },
  ];

  static override args = {
    name: Args.string({ description: "The connector name.", required: true }),
  };

  static override flags = {
    profile: profileFlag,
  };

  async run(): Promise<ConnectorsInfoResult> {
    const { args, flags } = await this.parse(ConnectorsInfo);
    const client = await PlatformClient.fromProfile({ profile: flags.profile });
    let connector: ConnectorDetail;
    try {
      connector = await client.request("GET", `/v1/connectors/${encodeURIComponent(args.name)}`, undefined, {
        schema: ConnectorDetail,
      });
    } catch (error) {
      if (!(error instanceof PlatformError && error.status === 404)) throw error;
      throw new CliError(error.code, error.message, {
        suggestions: [
          "check the name: run `vrsky connectors search` to see the connectors you can use",
          "another tenant's private connectors are not visible to you",
        ],
        cause: error,
      });
    }
    const fields = configFields(connector.config, connector.secrets);
    this.#print(connector, fields);
    return { connector, fields, url: client.url };
  }

  #print(connector: ConnectorDetail, fields: readonly ConfigField[]): void {
    const { bold, dim } = this.out;
    this.log(
      `${bold(connector.name)} ${connector.latest ?? "(every version yanked)"}  ${connector.kind}, ${connector.visibility}`,
    );
    this.log(connector.description);
    if (connector.categories.length > 0) this.log(dim(`categories: ${connector.categories.join(", ")}`));
    this.log("");
    this.log(bold("Config"));
    if (fields.length === 0) {
      this.log("  (no fields)");
    } else {
      printTable(
        indented(this),
        this.out,
        ["FIELD", "TYPE", "REQUIRED", "SECRET", "DEFAULT", "DESCRIPTION"],
        fields.map((f) => [
          f.name,
          f.type,
          f.required ? "yes" : "no",
          f.secret ? "yes" : "no",
          f.default === undefined ? "" : JSON.stringify(f.default),
          f.description,
        ]),
      );
    }
    this.log("");
    this.log(bold("Versions"));
    printTable(
      indented(this),
      this.out,
      ["VERSION", "PUBLISHED", "SIZE", "SHA256"],
      connector.versions.map((v) => [
        v.yanked ? `${v.version} (yanked)` : v.version,
        v.publishedAt.slice(0, 19).replace("T", " "),
        formatSize(v.size),
        v.sha256,
      ]),
    );
  }
}

function indented(out: { log(message: string): void }): { log(message: string): void } {
  return { log: (message) => out.log(`  ${message}`) };
}
