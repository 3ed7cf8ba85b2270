import { Args, Flags } from "@oclif/core";
import { VrskyCommand } from "../base-command.js";
import { CliError, CliErrorCode } from "../cli-error.js";
import { durationFlag, formatDuration, parseDurationFlag } from "../platform/integration-flags.js";
import {
  type Deployed,
  type IntegrationDetail,
  type IntegrationState,
  IntegrationsApi,
  type IntegrationVersion,
  specRejected,
} from "../platform/integrations-api.js";
import { renderUnifiedDiff, unifiedDiff } from "../platform/line-diff.js";
import { PlatformClient } from "../platform/platform-client.js";
import { PlatformError } from "../platform/platform-error.js";
import { profileFlag } from "../platform/profile-flag.js";
import { readSpecFile, type SpecFile } from "../platform/spec-file.js";
import { describeStatus, waitForIntegration } from "../platform/wait-for-integration.js";

/** What `vrsky deploy --json` prints. */
export interface DeployResult {
  /** The integration. */
  name: string;
  /** The version now current: new, or the same when the spec was unchanged. */
  version: number;
  /** The version current before the deploy; `null` for a new integration. */
  previousVersion: number | null;
  /** Whether the deploy created the integration. */
  created: boolean;
  /** `false` when the spec equals the current version's: no new version was made. */
  changed: boolean;
  /** The spec file deployed. */
  file: string;
  /** The platform. */
  url: string;
  /** The unified diff from the previous version's spec, one line each; `null` for a new integration. */
  diff: string[] | null;
  /** What the orchestrator reported last: `running` after a successful wait; `null` without one. */
  state: IntegrationState | null;
  /** Whether the command waited for the version to run. */
  waited: boolean;
}

/** The deployed integration and its current version's spec. */
interface Current {
  detail: IntegrationDetail;
  version: IntegrationVersion;
}

const DEFAULT_TIMEOUT = "60s";

/** `vrsky deploy`: deploys an integration spec to the platform as a new version. */
export default class Deploy extends VrskyCommand<DeployResult> {
  static override summary = "Deploy an integration spec to the platform and wait until it runs.";

  static override description =
    `Validates the YAML or JSON spec locally (every syntax or schema problem with its line, exit 2, nothing sent), then has the platform check it (connector configs, registry connectors), shows the diff from the deployed version's spec (or says it is a new integration), asks for confirmation on a terminal, and deploys it as the next version. Deploying a spec identical to the current version makes no new version ("unchanged").

Then it waits until the orchestrator reports the new version running: exit 1 when it fails (with its error) or is still starting after --timeout. --no-wait returns once the version is recorded. Without a terminal (scripts, CI) there is no prompt: the deploy goes ahead, as with --yes.

The integration is named by the spec's \`name\`; --name deploys the same file under another name (its \`name:\` line is rewritten), e.g. for a staging copy.`;

  static override examples = [
    {
      description: "Deploy, review the diff, confirm and wait until it runs",
      command: "<%= config.bin %> <%= command.id %> integration.yaml",
    },
    {
      description: "Deploy from CI without waiting",
      command: "<%= config.bin %> <%= command.id %> integration.yaml --yes --no-wait --json",
    },
    {
      description: "Deploy the same spec as a staging copy, allowing 5 minutes to start",
      command: "<%= config.bin %> <%= command.id %> integration.yaml --name orders-staging --timeout 5m",
    },
  ];

  static override args = {
    file: Args.string({ description: "The integration spec (.yaml, .yml or .json).", required: true }),
  };

  static override flags = {
    name: Flags.string({
      description: "Deploy under this integration name instead of the spec's `name`.",
    }),
    yes: Flags.boolean({ char: "y", description: "Deploy without asking for confirmation." }),
    wait: Flags.boolean({
      description: "Wait until the orchestrator reports the new version running (or failed).",
      allowNo: true,
      default: true,
    }),
    timeout: durationFlag({
      description: "How long to wait for the version to run, e.g. 30s or 5m.",
      default: DEFAULT_TIMEOUT,
    }),
    profile: profileFlag,
  };

  async run(): Promise<DeployResult> {
    const { args, flags } = await this.parse(Deploy);
    const timeoutMs = parseDurationFlag("--timeout", flags.timeout);
    const spec = await readSpecFile(args.file, { name: flags.name });
    const api = new IntegrationsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
    const { green, bold, dim } = this.out;
    if (spec.renamedFrom !== undefined) {
      this.log(dim(`deploying ${spec.file} as ${spec.name} (the spec names it ${spec.renamedFrom})`));
    }
    const current = await this.progress(`Checking ${spec.file} with ${api.url}`, () =>
      this.#check(api, spec),
    );
    const diff = current === undefined ? null : this.#showDiff(spec, current);
    if (current === undefined) this.log(`${bold(spec.name)} is a new integration`);
    const unchanged =
      current !== undefined && current.version.spec === spec.spec && current.version.format === spec.format;
    if (!unchanged && this.canPrompt(flags.yes)) {
      await this.#confirm(spec.name, (current?.detail.currentVersion ?? 0) + 1, api.url);
    }
    const deployed = await this.progress(`Deploying ${spec.name} to ${api.url}`, () =>
      this.#deploy(api, spec),
    );
    const label = bold(`${deployed.name} v${deployed.version}`);
    if (deployed.changed) this.log(`${green("✓")} ${label} deployed to ${api.url}`);
    else this.log(`${bold(deployed.name)} unchanged, still v${deployed.version}`);

    const result: DeployResult = {
      name: deployed.name,
      version: deployed.version,
      previousVersion: current?.detail.currentVersion ?? null,
      created: deployed.created,
      changed: deployed.changed,
      file: spec.file,
      url: api.url,
      diff,
      state: null,
      waited: false,
    };
    const status = `\`vrsky integrations status ${deployed.name}\``;
    if (current?.detail.desiredState === "stopped") {
      this.log(dim(`    ${deployed.name} is stopped: \`vrsky integrations start ${deployed.name}\` runs it`));
      return result;
    }
    if (!flags.wait) {
      this.log(dim(`    not waiting (--no-wait): ${status} shows when it runs`));
      return result;
    }
    const running = await this.#waitUntilRunning(api, deployed, timeoutMs, result.previousVersion);
    this.log(
      `${green("✓")} ${label} running${running.worker === null ? "" : ` on worker ${running.worker}`}`,
    );
    return { ...result, state: "running", waited: true };
  }

  /** Has the platform validate the spec, then reads the deployed version, if any. */
  async #check(api: IntegrationsApi, spec: SpecFile): Promise<Current | undefined> {
    try {
      await api.validate(spec);
    } catch (error) {
      throw error instanceof PlatformError && error.problem.code === "INVALID_SPEC"
        ? specRejected(error, spec.file, api.url)
        : error;
    }
    const detail = await api.find(spec.name);
    if (detail === undefined) return undefined;
    return { detail, version: await api.version(spec.name, detail.currentVersion) };
  }

  /** Prints the diff from the deployed spec and returns its lines without colour. */
  #showDiff(spec: SpecFile, current: Current): string[] {
    const hunks = unifiedDiff(current.version.spec, spec.spec);
    const labels = { before: `${spec.name} v${current.version.version} (deployed)`, after: spec.file };
    if (hunks.length === 0) {
      const same = current.version.spec === spec.spec && current.version.format === spec.format;
      this.log(
        this.out.dim(
          same
            ? `no changes from v${current.version.version}`
            : `no line changes from v${current.version.version} (only line breaks or the format differ)`,
        ),
      );
      return [];
    }
    for (const line of renderUnifiedDiff(hunks, labels, this.out)) this.log(line);
    return renderUnifiedDiff(hunks, labels, {
      red: unstyled,
      green: unstyled,
      dim: unstyled,
      bold: unstyled,
    });
  }

  async #confirm(name: string, version: number, url: string): Promise<void> {
    const { promptSelect } = await import("../prompts.js");
    const answer = await promptSelect(`Deploy ${name} v${version} to ${url}?`, [
      { value: "deploy", hint: "make it the current version" },
      { value: "cancel", hint: "deploy nothing" },
    ]);
    if (answer === "cancel") throw new CliError(CliErrorCode.InvalidInput, "cancelled: nothing was deployed");
  }

  async #deploy(api: IntegrationsApi, spec: SpecFile): Promise<Deployed> {
    try {
      return await api.deploy(spec.name, spec);
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      if (error.problem.code === "INVALID_SPEC") throw specRejected(error, spec.file, api.url);
      if (error.problem.code !== "QUOTA_EXCEEDED") throw error;
      throw new CliError(error.code, `cannot create ${spec.name}: ${error.message}`, {
        suggestions: [
          "`vrsky integrations list` shows your integrations; `vrsky integrations delete <name>` removes one",
          "or ask the platform operator for a larger plan",
        ],
        cause: error,
      });
    }
  }

  async #waitUntilRunning(
    api: IntegrationsApi,
    deployed: Deployed,
    timeoutMs: number,
    previous: number | null,
  ): Promise<{ worker: string | null }> {
    const { name, version } = deployed;
    const label = `Waiting for ${name} v${version} to run`;
    return this.progress(label, async (spinner) => {
      const outcome = await waitForIntegration(() => api.get(name), {
        version,
        timeoutMs,
        onProgress: (summary) => spinner.update(`${label} (${describeStatus(summary)})`),
      });
      const status = `\`vrsky integrations status ${name}\``;
      if (outcome.kind === "running") return outcome.status;
      if (outcome.kind === "failed") {
        const back =
          previous === null || previous === version
            ? []
            : [`\`vrsky integrations rollback ${name}\` goes back to v${previous}`];
        throw new CliError(
          CliErrorCode.Failed,
          `${name} v${version} failed to start: ${outcome.status.error ?? "no error was reported"}`,
          { suggestions: [`\`vrsky integrations logs ${name}\` shows its log`, ...back] },
        );
      }
      const none = outcome.last.status === null;
      throw new CliError(
        CliErrorCode.Failed,
        `${name} v${version} is still starting after ${formatDuration(timeoutMs)} (${describeStatus(outcome.last)}); check ${status}`,
        {
          suggestions: [
            "the version is deployed: the orchestrator starts it when it can; wait longer with --timeout, e.g. --timeout 5m",
            ...(none
              ? ["no status at all means no orchestrator has picked it up yet: ask the platform operator"]
              : []),
          ],
        },
      );
    });
  }
}

function unstyled(text: string): string {
  return text;
}
