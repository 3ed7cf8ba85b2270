import { Args, Flags } from "@oclif/core";
import { VrskyCommand } from "../../base-command.js";
import { CliError, CliErrorCode } from "../../cli-error.js";
import { printInitResult } from "../../scaffold/print-init-result.js";
import { type InitResult, nameProblem, scaffoldProject } from "../../scaffold/scaffold-project.js";

/** `vrsky init integration`: scaffolds an integration project. */
export default class InitIntegration extends VrskyCommand<InitResult> {
  static override summary = "Scaffold an integration project: a spec, its connectors and a test.";

  static override description =
    `Creates a project with integration.yaml (a source, a step and a sink), the connectors it uses by path in connectors/, a test that resolves the spec and carries a message through it in memory, a README and vrsky.json. Run it with \`vrsky dev integration.yaml\`.

A missing name is asked for on a terminal; without one (or with --yes or --json) it is an error.`;

  static override examples = [
    { description: "An integration in ./orders", command: "<%= config.bin %> <%= command.id %> orders" },
  ];

  static override args = {
    name: Args.string({ description: "Integration and project name, kebab-case (e.g. orders)." }),
  };

  static override flags = {
    dir: Flags.string({ description: "Where to create the project. [default: ./<name>]" }),
    yes: Flags.boolean({ char: "y", description: "Never prompt: fail on a missing value instead." }),
  };

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(InitIntegration);
    let name = args.name;
    if (name === undefined) {
      if (!this.canPrompt(flags.yes)) throw this.missing("a name argument");
      // ink loads only when a prompt is needed: it costs most of a non-interactive start.
      const { promptText } = await import("../../prompts.js");
      name = await promptText("Integration name", (value) => nameProblem(value));
    }
    const problem = nameProblem(name);
    if (problem !== undefined) throw new CliError(CliErrorCode.InvalidInput, problem);
    const result = await scaffoldProject("integration", name, flags.dir, [
      "npm install",
      "npm test",
      "vrsky dev integration.yaml",
    ]);
    printInitResult(this, this.out, result, "integration");
    return result;
  }
}
