import { Args, Flags } from "@oclif/core";
import { ConnectorKind } from "@vrsky/sdk";
import { VrskyCommand } from "../../base-command.js";
import { CliError, CliErrorCode } from "../../cli-error.js";
import { printInitResult } from "../../scaffold/print-init-result.js";
import { type InitResult, nameProblem, scaffoldProject } from "../../scaffold/scaffold-project.js";

const KINDS = Object.values(ConnectorKind);
const HINTS: Record<ConnectorKind, string> = {
  consumer: "a source: brings messages in from a system",
  producer: "a sink: delivers messages to a system",
  converter: "transforms messages",
  filter: "passes, drops or routes messages",
};

/** `vrsky init connector`: scaffolds a connector project. */
export default class InitConnector extends VrskyCommand<InitResult> {
  static override summary = "Scaffold a connector project: code, tests, fixtures and a manifest.";

  static override description =
    `Creates a project with a working connector of the chosen kind (src/index.ts, written with the define* helper of @vrsky/sdk), a behaviour test plus the conformance suite (src/index.test.ts), a fixture, a README and vrsky.json. It installs and tests as is: \`npm install && npm test\`.

A missing name or --kind is asked for on a terminal; without one (or with --yes or --json) it is an error.`;

  static override examples = [
    {
      description: "A converter in ./order-total",
      command: "<%= config.bin %> <%= command.id %> order-total --kind converter",
    },
    {
      description: "A producer in a directory of your choice",
      command: "<%= config.bin %> <%= command.id %> crm-out --kind producer --dir connectors/crm-out",
    },
  ];

  static override args = {
    name: Args.string({ description: "Connector and project name, kebab-case (e.g. order-total)." }),
  };

  static override flags = {
    kind: Flags.option({ options: KINDS, description: "The connector kind." })(),
    dir: Flags.string({ description: "Where to create the project. [default: ./<name>]" }),
    yes: Flags.boolean({ char: "y", description: "Never prompt: fail on a missing value instead." }),
  };

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(InitConnector);
    let name = args.name;
    if (name === undefined) {
      if (!this.canPrompt(flags.yes)) throw this.missing("a name argument");
      // ink loads only when a prompt is needed: it costs most of a non-interactive start.
      const { promptText } = await import("../../prompts.js");
      name = await promptText("Connector name", (value) => nameProblem(value));
    }
    const problem = nameProblem(name);
    if (problem !== undefined) throw new CliError(CliErrorCode.InvalidInput, problem);
    let kind = flags.kind;
    if (kind === undefined) {
      if (!this.canPrompt(flags.yes)) throw this.missing(`--kind <${KINDS.join("|")}>`);
      const { promptSelect } = await import("../../prompts.js");
      kind = await promptSelect(
        "Connector kind",
        KINDS.map((value) => ({ value, hint: HINTS[value] })),
      );
    }
    const result = await scaffoldProject(`connector-${kind}`, name, flags.dir, [
      "npm install",
      "npm test",
      "vrsky build",
    ]);
    printInitResult(this, this.out, result, `${kind} connector`);
    return result;
  }
}
