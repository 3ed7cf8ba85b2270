import { Args, Flags } from "@oclif/core";
import { VrskyCommand } from "../../base-command.js";
import { CliError, CliErrorCode } from "../../cli-error.js";
import { PlatformClient } from "../../platform/platform-client.js";
import { profileFlag } from "../../platform/profile-flag.js";
import { checkSecretName, SecretsApi } from "../../platform/secrets-api.js";

/** What `vrsky secrets set --json` prints: never the value. */
export interface SecretsSetResult {
  name: string;
  /** Whether it was created (else replaced). */
  created: boolean;
  /** Running integrations that restart with the new value. */
  restarting: string[];
  /** The platform. */
  url: string;
}

/** `vrsky secrets set`: stores a secret for the tenant's integrations. */
export default class SecretsSet extends VrskyCommand<SecretsSetResult> {
  static override summary = "Set a secret that deployed integrations refer to as { $secret: <name> }.";

  static override description =
    "Stores the value sealed (AES-256-GCM) on the platform; it is never shown again, only given to the workers of integrations whose spec refers to it. The value comes from --from-env <VARIABLE>, else from standard input when it is piped (one trailing newline is dropped), else from a masked prompt on a terminal — never from a flag, so it stays out of your shell history. Replacing a value restarts the running integrations that use it. Needs a login (`vrsky login`) with the secrets:write scope.";

  static override examples = [
    {
      description: "Type the value at a masked prompt",
      command: "<%= config.bin %> <%= command.id %> slack-token",
    },
    {
      description: "Pipe it in (scripts, CI)",
      command: 'printf %s "$SLACK_TOKEN" | <%= config.bin %> <%= command.id %> slack-token',
    },
    {
      description: "Read it from an environment variable",
      command: "<%= config.bin %> <%= command.id %> slack-token --from-env SLACK_TOKEN",
    },
  ];

  static override args = {
    name: Args.string({ description: "The secret's name, as in { $secret: <name> }.", required: true }),
  };

  static override flags = {
    "from-env": Flags.string({ description: "Read the value from this environment variable." }),
    profile: profileFlag,
  };

  async run(): Promise<SecretsSetResult> {
    const { args, flags } = await this.parse(SecretsSet);
    const name = checkSecretName(args.name);
    const value = await this.#value(name, flags["from-env"]);
    const api = new SecretsApi(await PlatformClient.fromProfile({ profile: flags.profile }));
    const answer = await api.set(name, value);
    const { green, bold, dim } = this.out;
    this.log(`${green("✓")} ${answer.created ? "Created" : "Replaced"} secret ${bold(name)} in ${api.url}`);
    if (answer.restarting.length > 0) {
      this.log(dim(`    restarting with the new value: ${answer.restarting.join(", ")}`));
    } else if (answer.created) {
      this.log(dim(`    refer to it in a spec's config as { $secret: ${name} }`));
    }
    return { name, created: answer.created, restarting: answer.restarting, url: api.url };
  }

  async #value(name: string, fromEnv: string | undefined): Promise<string> {
    let value: string;
    if (fromEnv !== undefined) {
      const found = process.env[fromEnv];
      if (found === undefined || found === "") {
        throw new CliError(
          CliErrorCode.InvalidInput,
          `--from-env ${fromEnv}: the variable is not set or empty`,
        );
      }
      value = found;
    } else if (process.stdin.isTTY !== true) {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      value = Buffer.concat(chunks)
        .toString("utf8")
        .replace(/\r?\n$/, "");
    } else if (this.canPrompt()) {
      const { promptSecret } = await import("../../prompts.js");
      value = await promptSecret(`Value of ${name}`, (v) =>
        v === "" ? "type a value, or Esc to cancel" : undefined,
      );
    } else {
      throw this.missing("the value (pipe it on standard input, or --from-env <VARIABLE>)");
    }
    if (value === "") {
      throw new CliError(CliErrorCode.InvalidInput, `the value of ${name} is empty; pipe or type a value`);
    }
    return value;
  }
}
