import { join } from "node:path";
import { Args, Flags } from "@oclif/core";
import { VrskyCommand } from "../base-command.js";
import { type BuiltManifest, bundleConnector } from "../bundle/bundle-connector.js";
import { connectorEntry, readProject } from "../project/vrsky-project.js";

/** What `vrsky build --json` prints. */
export interface BuildResult {
  /** Connector name. */
  name: string;
  /** Connector kind. */
  kind: BuiltManifest["kind"];
  /** Connector version. */
  version: string;
  /** Absolute path of the bundle, with its sha256 and size. */
  bundle: { path: string; sha256: string; size: number };
  /** Absolute path of the manifest written beside it. */
  manifest: string;
  /** Bundler warnings. */
  warnings: string[];
}

/** `vrsky build`: bundles a connector project into one file plus its manifest. */
export default class Build extends VrskyCommand<BuildResult> {
  static override summary = "Bundle a connector into dist/connector.mjs plus dist/manifest.json.";

  static override description =
    `Bundles the connector named by vrsky.json ("connector": "src/index.ts") into one self-contained ES module for Node 20 — every dependency inlined except Node built-ins — then loads the bundle to check it exports a connector, and writes its manifest (kind, name, version, config JSON Schema, secrets, examples) with the bundle's sha256 and size.`;

  static override examples = [
    {
      description: "Build the project in the current directory",
      command: "<%= config.bin %> <%= command.id %>",
    },
    {
      description: "Build another project, as JSON",
      command: "<%= config.bin %> <%= command.id %> ../order-total --json",
    },
  ];

  static override args = {
    path: Args.string({ description: "The project directory.", default: "." }),
  };

  static override flags = {
    "out-dir": Flags.string({
      description: "Where to write the bundle and manifest. [default: <path>/dist]",
    }),
  };

  async run(): Promise<BuildResult> {
    const { args, flags } = await this.parse(Build);
    const project = await readProject(args.path);
    const entry = connectorEntry(project);
    const outDir = flags["out-dir"] ?? join(project.dir, "dist");
    const built = await this.progress(`Bundling ${entry}`, () => bundleConnector(entry, outDir));
    const { manifest } = built;
    const { green, bold, dim } = this.out;
    for (const warning of built.warnings) this.warn(warning);
    this.log(`${green("✓")} Built ${bold(manifest.name)} ${manifest.version} (${manifest.kind})`);
    this.log(
      `    ${built.bundlePath}  ${formatSize(manifest.bundle.size)}  ${dim(`sha256 ${manifest.bundle.sha256}`)}`,
    );
    this.log(`    ${built.manifestPath}`);
    return {
      name: manifest.name,
      kind: manifest.kind,
      version: manifest.version,
      bundle: { path: built.bundlePath, sha256: manifest.bundle.sha256, size: manifest.bundle.size },
      manifest: built.manifestPath,
      warnings: built.warnings,
    };
  }
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}
