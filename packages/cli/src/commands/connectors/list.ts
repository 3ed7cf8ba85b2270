import { relative } from "node:path";
import { Flags } from "@oclif/core";
import { catalog } from "@vrsky/connectors";
import { ConnectorKind, type ConnectorManifest, connectorManifest } from "@vrsky/sdk";
import { VrskyCommand } from "../../base-command.js";
import { loadProjectConnector } from "../../project/load-connector.js";
import { connectorEntry, findProject } from "../../project/vrsky-project.js";

/** One connector in the list. */
export interface ListedConnector {
  /** Connector name, as an integration spec references it (local ones by path). */
  name: string;
  /** Connector kind. */
  kind: ConnectorManifest["kind"];
  /** Connector version. */
  version: string;
  /** What it does. */
  description: string;
  /** `builtin`: ships with VRSky; `local`: the current project's. */
  source: "builtin" | "local";
  /** Local connectors: the entry module, relative to the working directory. */
  path?: string;
  /** The full manifest: config JSON Schema, secrets, examples. */
  manifest: ConnectorManifest;
}

/** What `vrsky connectors list --json` prints. */
export interface ConnectorsListResult {
  /** Built-in connectors first, then local ones. */
  connectors: ListedConnector[];
  /** Local connectors that could not be loaded, and why. */
  warnings: string[];
}

const KINDS = Object.values(ConnectorKind);

/** `vrsky connectors list`: the built-in catalog plus the current project's connector. */
export default class ConnectorsList extends VrskyCommand<ConnectorsListResult> {
  static override summary = "List the built-in connectors and the current project's connector.";

  static override description =
    `Lists every built-in connector (referenced by name in an integration spec) and the connector of the project in the current directory or above it (a vrsky.json with "connector": "src/index.ts", referenced by path). With --json each entry carries the full manifest: config JSON Schema, secret fields and examples.`;

  static override examples = [
    { description: "Everything", command: "<%= config.bin %> <%= command.id %>" },
    {
      description: "Only converters, as JSON",
      command: "<%= config.bin %> <%= command.id %> --kind converter --json",
    },
  ];

  static override flags = {
    kind: Flags.option({ options: KINDS, description: "Only connectors of this kind." })(),
  };

  async run(): Promise<ConnectorsListResult> {
    const { flags } = await this.parse(ConnectorsList);
    const warnings: string[] = [];
    const connectors: ListedConnector[] = catalog().map((manifest) => listed(manifest, "builtin"));
    const project = await findProject(process.cwd());
    if (project?.config.connector !== undefined) {
      try {
        const connector = await loadProjectConnector(project);
        const path = relative(process.cwd(), connectorEntry(project)) || connectorEntry(project);
        connectors.push({ ...listed(connectorManifest(connector), "local"), path });
      } catch (error) {
        warnings.push(
          `cannot load the connector of ${project.file}: ${error instanceof Error ? error.message : String(error)} ` +
            "(run `npm install` in the project?)",
        );
      }
    }
    const shown = connectors.filter((c) => flags.kind === undefined || c.kind === flags.kind);
    for (const warning of warnings) this.warn(warning);
    this.printTable(shown);
    return { connectors: shown, warnings };
  }

  private printTable(connectors: readonly ListedConnector[]): void {
    const { bold, dim } = this.out;
    if (connectors.length === 0) {
      this.log("No connectors match.");
      return;
    }
    const rows = connectors.map((c) => [c.kind, c.name, c.version, c.path ?? c.source, c.description]);
    const header = ["KIND", "NAME", "VERSION", "SOURCE", "DESCRIPTION"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: readonly string[]): string =>
      cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ");
    this.log(bold(line(header)));
    for (const row of rows) this.log(line(row));
    this.log(dim(`\n${connectors.length} connector${connectors.length === 1 ? "" : "s"}`));
  }
}

function listed(manifest: ConnectorManifest, source: "builtin" | "local"): ListedConnector {
  const { name, kind, version, description } = manifest;
  return { name, kind, version, description, source, manifest };
}
