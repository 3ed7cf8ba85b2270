import { relative } from "node:path";
import { Flags } from "@oclif/core";
import { catalog } from "@vrsky/connectors";
import { ConnectorKind, type ConnectorManifest, connectorManifest } from "@vrsky/sdk";
import { VrskyCommand } from "../../base-command.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { printTable } from "../../platform/print-table.js";
import { profileFlag } from "../../platform/profile-flag.js";
import { findCredentials } from "../../platform/profiles.js";
import { SearchResult, type Visibility } from "../../platform/registry-api.js";
import { loadProjectConnector } from "../../project/load-connector.js";
import { connectorEntry, findProject } from "../../project/vrsky-project.js";

/** What every listed connector has. */
interface ListedBase {
  /** Connector name, as an integration spec references it (local ones by path). */
  name: string;
  /** Connector kind. */
  kind: ConnectorManifest["kind"];
  /** Connector version; for registry connectors the latest one not yanked. */
  version: string;
  /** What it does. */
  description: string;
}

/** A connector on this machine: built in, or the current project's. */
export interface LocalListedConnector extends ListedBase {
  /** `builtin`: ships with VRSky; `local`: the current project's. */
  source: "builtin" | "local";
  /** Local connectors: the entry module, relative to the working directory. */
  path?: string;
  /** The full manifest: config JSON Schema, secrets, examples. */
  manifest: ConnectorManifest;
}

/** A connector of the platform's registry (listed when logged in). */
export interface RegistryListedConnector extends ListedBase {
  /** Published to the registry; `vrsky connectors info <name>` shows its config and versions. */
  source: "registry";
  /** Who can see it. */
  visibility: Visibility;
  /** Catalog categories. */
  categories: string[];
}

/** One connector in the list. */
export type ListedConnector = LocalListedConnector | RegistryListedConnector;

/** What `vrsky connectors list --json` prints. */
export interface ConnectorsListResult {
  /** Built-in connectors first, then the local one, then the registry's. */
  connectors: ListedConnector[];
  /** Local connectors that could not be loaded, or a registry that could not be read, and why. */
  warnings: string[];
}

const KINDS = Object.values(ConnectorKind);

// The list is local first: a slow registry must not hold it up for long.
const REGISTRY_TIMEOUT_MS = 10_000;

/** `vrsky connectors list`: the built-in catalog, the current project's connector and, when logged in, the registry's. */
export default class ConnectorsList extends VrskyCommand<ConnectorsListResult> {
  static override summary =
    "List the built-in connectors, the current project's connector and, when logged in, the registry's.";

  static override description =
    `Lists every built-in connector (referenced by name in an integration spec) and the connector of the project in the current directory or above it (a vrsky.json with "connector": "src/index.ts", referenced by path). When you are logged in (\`vrsky login\`), the connectors of the platform's registry follow, with source "registry"; a registry that cannot be read is a warning, not a failure. With --json each built-in and local entry carries the full manifest: config JSON Schema, secret fields and examples (\`vrsky connectors info <name>\` shows a registry connector's).`;

  static override examples = [
    { description: "Everything", command: "<%= config.bin %> <%= command.id %>" },
    {
      description: "Only converters, as JSON",
      command: "<%= config.bin %> <%= command.id %> --kind converter --json",
    },
  ];

  static override flags = {
    kind: Flags.option({ options: KINDS, description: "Only connectors of this kind." })(),
    profile: profileFlag,
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
    connectors.push(...(await this.#registry(flags.kind, flags.profile, warnings)));
    const shown = connectors.filter((c) => flags.kind === undefined || c.kind === flags.kind);
    for (const warning of warnings) this.warn(warning);
    this.printTable(shown);
    return { connectors: shown, warnings };
  }

  /** The registry's connectors when logged in; none, with a warning, when it cannot be read. */
  async #registry(
    kind: ConnectorManifest["kind"] | undefined,
    profile: string | undefined,
    warnings: string[],
  ): Promise<RegistryListedConnector[]> {
    try {
      const credentials = await findCredentials({ profile });
      if (credentials === undefined) return [];
      const client = new PlatformClient(credentials, { timeoutMs: REGISTRY_TIMEOUT_MS });
      const { items } = await client.request("GET", "/v1/connectors", undefined, {
        schema: SearchResult,
        query: { kind },
      });
      return items.map((c) => ({
        name: c.name,
        kind: c.kind,
        version: c.latest,
        description: c.description,
        source: "registry",
        visibility: c.visibility,
        categories: c.categories,
      }));
    } catch (error) {
      warnings.push(
        `registry connectors are not listed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return [];
    }
  }

  private printTable(connectors: readonly ListedConnector[]): void {
    const { dim } = this.out;
    if (connectors.length === 0) {
      this.log("No connectors match.");
      return;
    }
    const rows = connectors.map((c) => [
      c.kind,
      c.name,
      c.version,
      (c.source === "local" ? c.path : undefined) ?? c.source,
      c.description,
    ]);
    printTable(this, this.out, ["KIND", "NAME", "VERSION", "SOURCE", "DESCRIPTION"], rows);
    this.log(dim(`\n${connectors.length} connector${connectors.length === 1 ? "" : "s"}`));
  }
}

function listed(manifest: ConnectorManifest, source: "builtin" | "local"): LocalListedConnector {
  const { name, kind, version, description } = manifest;
  return { name, kind, version, description, source, manifest };
}
