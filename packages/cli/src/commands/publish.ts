import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { Args, Flags } from "@oclif/core";
import type { ConnectorManifest } from "@vrsky/sdk";
import { VrskyCommand } from "../base-command.js";
import { type BuiltManifest, bundleConnector } from "../bundle/bundle-connector.js";
import { CliError, CliErrorCode } from "../cli-error.js";
import { formatSize } from "../platform/format-size.js";
import { PlatformClient } from "../platform/platform-client.js";
import { PlatformError } from "../platform/platform-error.js";
import { profileFlag } from "../platform/profile-flag.js";
import { findCredentials, requireCredentials } from "../platform/profiles.js";
import { ConnectorDetail, PublishedVersion, Visibility } from "../platform/registry-api.js";
import { connectorEntry, readProject } from "../project/vrsky-project.js";

/** What `vrsky publish --json` prints. */
export interface PublishResult {
  /** Connector name. */
  name: string;
  /** Connector kind. */
  kind: BuiltManifest["kind"];
  /** The version published (or that would be, with --dry-run). */
  version: string;
  /** Who can see it. */
  visibility: Visibility;
  /** Hex sha256 of the bundle, as the registry recorded it. */
  sha256: string;
  /** Bundle size in bytes. */
  size: number;
  /** The registry's URL; `null` on a dry run without a login. */
  url: string | null;
  /** `false` with --dry-run: nothing was uploaded. */
  published: boolean;
  /** Absolute path of the bundle that was uploaded. */
  bundle: string;
  /** Bundler warnings. */
  warnings: string[];
}

// Bundles may be up to 20 MiB, sent base64 in JSON: allow more than the default 30 s.
const PUBLISH_TIMEOUT_MS = 120_000;

/** `vrsky publish`: builds a connector and publishes the version to the registry. */
export default class Publish extends VrskyCommand<PublishResult> {
  static override summary = "Build a connector and publish its version to the platform's registry.";

  static override description =
    `Runs the same build as \`vrsky build\` (dist/connector.mjs plus dist/manifest.json), then uploads the manifest and the bundle to the registry of the platform you are logged in to (\`vrsky login\`). Versions are immutable semver: publishing one that exists fails with VERSION_EXISTS. A minor or patch whose config schema could reject configs the previous version of the same major accepted fails with BREAKING_CHANGE, listing each change: publish it as the next major instead.

Visibility is fixed at the first publish: private connectors are seen by your tenant only, public ones by every tenant. Without --visibility a re-publish keeps the connector's visibility and a first publish is private.`;

  static override examples = [
    {
      description: "Publish the project in the current directory (private)",
      command: "<%= config.bin %> <%= command.id %>",
    },
    {
      description: "Publish another project for every tenant",
      command: "<%= config.bin %> <%= command.id %> ../order-total --visibility public",
    },
    {
      description: "Build and show what would be uploaded, without uploading",
      command: "<%= config.bin %> <%= command.id %> --dry-run --json",
    },
  ];

  static override args = {
    path: Args.string({ description: "The project directory.", default: "." }),
  };

  static override flags = {
    visibility: Flags.option({
      options: Visibility.options,
      description:
        "public: every tenant can find and use it; private: your tenant only. [default: the connector's visibility, else private]",
    })(),
    "dry-run": Flags.boolean({
      description: "Build and show what would be published; upload nothing (no login needed).",
    }),
    profile: profileFlag,
  };

  async run(): Promise<PublishResult> {
    const { args, flags } = await this.parse(Publish);
    const dryRun = flags["dry-run"];
    // Fail on a missing login before spending time on the build.
    const credentials = dryRun
      ? await findCredentials({ profile: flags.profile })
      : await requireCredentials({ profile: flags.profile });
    const project = await readProject(args.path);
    const entry = connectorEntry(project);
    const built = await this.progress(`Bundling ${relative(process.cwd(), entry) || entry}`, () =>
      bundleConnector(entry, join(project.dir, "dist")),
    );
    for (const warning of built.warnings) this.warn(warning);
    const { bundle, ...manifest } = built.manifest;
    const base = {
      name: manifest.name,
      kind: manifest.kind,
      version: manifest.version,
      size: bundle.size,
      url: credentials?.url ?? null,
      bundle: built.bundlePath,
      warnings: built.warnings,
    };
    const { green, bold, dim } = this.out;
    if (dryRun || credentials === undefined) {
      const visibility = flags.visibility ?? "private";
      this.log(
        `${bold(`${manifest.name}@${manifest.version}`)} (${manifest.kind}, ${visibility}) is ready to publish`,
      );
      this.log(dim(`    ${built.bundlePath}  ${formatSize(bundle.size)}  sha256 ${bundle.sha256}`));
      this.log(dim(`    dry run: nothing was uploaded${base.url ? ` to ${base.url}` : ""}`));
      return { ...base, visibility, sha256: bundle.sha256, published: false };
    }
    const client = new PlatformClient(credentials);
    const visibility =
      flags.visibility ?? (await this.#currentVisibility(client, manifest.name)) ?? "private";
    const bytes = await readFile(built.bundlePath);
    const label = `Publishing ${manifest.name}@${manifest.version} to ${client.url}`;
    const published = await this.progress(label, async () => {
      try {
        return await client.request(
          "POST",
          "/v1/connectors",
          { manifest, bundle: bytes.toString("base64"), visibility },
          { schema: PublishedVersion, timeoutMs: PUBLISH_TIMEOUT_MS },
        );
      } catch (error) {
        throw error instanceof PlatformError
          ? explain(error, manifest, relative(process.cwd(), entry) || entry)
          : error;
      }
    });
    if (published.sha256 !== bundle.sha256) {
      throw new CliError(
        CliErrorCode.Failed,
        `the registry recorded sha256 ${published.sha256} for ${manifest.name}@${manifest.version}, but the bundle's is ${bundle.sha256}: it was altered in transit`,
        {
          suggestions: [
            "check for a proxy rewriting requests; the version is taken, so bump it and publish again",
          ],
        },
      );
    }
    this.log(
      `${green("✓")} Published ${bold(`${published.name}@${published.version}`)} (${manifest.kind}, ${published.visibility}) to ${client.url}`,
    );
    this.log(dim(`    sha256 ${published.sha256}  ${formatSize(published.size)}`));
    this.log(dim(`    see it with \`vrsky connectors info ${published.name}\``));
    return { ...base, visibility: published.visibility, sha256: published.sha256, published: true };
  }

  /** The visibility of the caller's connector of that name, if it was published before. */
  async #currentVisibility(client: PlatformClient, name: string): Promise<Visibility | undefined> {
    try {
      const detail = await client.request("GET", `/v1/connectors/${encodeURIComponent(name)}`, undefined, {
        schema: ConnectorDetail,
      });
      return detail.visibility;
    } catch (error) {
      // A first publish (404), or a key without registry:read (403): the API decides.
      if (error instanceof PlatformError && (error.status === 404 || error.status === 403)) return undefined;
      throw error;
    }
  }
}

/** Adds the fix to the registry's refusals that publishing can run into. */
function explain(error: PlatformError, manifest: ConnectorManifest, entry: string): CliError {
  const again = "run `vrsky publish` again";
  const suggestions: Partial<Record<string, string[]>> = {
    VERSION_EXISTS: [
      `bump "version" in ${entry}${nextPatch(manifest.version)} and ${again}`,
      "published versions are immutable: a broken one can be yanked (POST /v1/connectors/<name>/versions/<version>/yank), never replaced",
    ],
    BREAKING_CHANGE: [
      `publish as ${nextMajor(error.message, manifest.version)}: set "version" in ${entry} to it and ${again}`,
      "or keep the config schema backward compatible: keep every field and enum value, give new fields a default or make them optional",
    ],
    NAME_TAKEN: [`rename the connector ("name" in ${entry}) and ${again}`],
  };
  const visibility = error.issues.find((i) => i.path === "body.visibility");
  const extra =
    suggestions[error.problem.code] ??
    (visibility ? [`pass --visibility ${visibility.message.replace(/^must be /, "")}`] : error.suggestions);
  return new CliError(error.code, error.message, { issues: error.issues, suggestions: extra, cause: error });
}

function nextPatch(version: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return match ? ` (e.g. to ${match[1]}.${match[2]}.${Number(match[3]) + 1})` : "";
}

function nextMajor(detail: string, version: string): string {
  const named = /Publish as (\d+\.0\.0)/i.exec(detail)?.[1];
  if (named !== undefined) return named;
  return `${Number(/^(\d+)/.exec(version)?.[1] ?? 0) + 1}.0.0`;
}
