import type { Command, Config } from "@oclif/core";

const GLOBAL_GROUP = "GLOBAL";
const GENERATED_NOTE =
  "<!-- Generated from the oclif commands by packages/cli/scripts/gen-docs.mjs (`npm run docs -w @vrsky/cli`); do not edit by hand. -->";

/**
 * Renders the CLI reference (docs/cli.md) from the loaded commands: for each visible command
 * its summary, description, usage, arguments, flags and examples; the global flags and exit
 * codes once at the top. The same text comes out for the same commands, so a test can check
 * the file is current.
 *
 * @param config - a loaded oclif config (`await Config.load({ root })`)
 * @returns Markdown
 */
export function renderCommandReference(config: Config): string {
  const commands = config.commands.filter((c) => !c.hidden).sort((a, b) => a.id.localeCompare(b.id));
  const bin = config.bin;
  const out: string[] = [
    "# CLI reference",
    "",
    GENERATED_NOTE,
    "",
    `\`${bin}\` is the VRSky command line: scaffold, build, test and publish connectors, and run integrations locally.`,
    "",
    ...commands.map(
      (c) => `- [\`${bin} ${displayId(c.id)}\`](#${anchor(`${bin} ${displayId(c.id)}`)}) — ${firstLine(c)}`,
    ),
    "",
    "## Global flags",
    "",
    "Every command takes these:",
    "",
    "| flag | meaning |",
    "| --- | --- |",
    '| `--json` | Print only the result as JSON on stdout (errors as `{ "error": { code, message, exitCode, suggestions } }`); no colours, spinners or prompts. |',
    "| `--verbose` | Print stack traces and extra detail when something fails. |",
    "| `--[no-]color` | Colour the output; colour is also off when `NO_COLOR` is set or the output is not a terminal. |",
    "| `-h`, `--help` | Show the command's help. |",
    "",
    "## Exit codes",
    "",
    "| code | meaning |",
    "| --- | --- |",
    "| 0 | Everything worked. |",
    "| 1 | The command ran and something failed: a test, a required check, a build. |",
    "| 2 | The input is wrong: a flag, an argument, a config or spec file (every problem is listed). |",
    "| 3 | A service (NATS, Postgres, S3) could not be reached or started; `vrsky doctor` says why. |",
    "| 4 | Not logged in to the platform, or it refused the API key: run `vrsky login`. |",
    "",
  ];
  for (const command of commands) out.push(...renderCommand(bin, command), "");
  return `${out.join("\n").trimEnd()}\n`;
}

function renderCommand(bin: string, command: Command.Loadable): string[] {
  const id = displayId(command.id);
  const lines = [`## \`${bin} ${id}\``, ""];
  if (command.summary) lines.push(clean(command.summary), "");
  if (command.description) lines.push(clean(command.description), "");
  const args = Object.values(command.args);
  const flags = Object.values(command.flags).filter((f) => !f.hidden && f.helpGroup !== GLOBAL_GROUP);
  const usage = [
    `${bin} ${id}`,
    ...args.map((a) => (a.required ? a.name.toUpperCase() : `[${a.name.toUpperCase()}]`)),
    ...(flags.length > 0 ? ["[FLAGS]"] : []),
  ].join(" ");
  lines.push("```text", usage, "```", "");
  if (args.length > 0) {
    lines.push("| argument | meaning |", "| --- | --- |");
    for (const arg of args) {
      const extra = arg.default === undefined ? "" : ` Default: \`${String(arg.default)}\`.`;
      lines.push(`| \`${arg.name.toUpperCase()}\` | ${cell(arg.description ?? "")}${extra} |`);
    }
    lines.push("");
  }
  if (flags.length > 0) {
    lines.push("| flag | meaning |", "| --- | --- |");
    for (const flag of flags) lines.push(`| ${flagName(flag)} | ${cell(flagMeaning(flag))} |`);
    lines.push("");
  }
  const examples = command.examples ?? [];
  if (examples.length > 0) {
    lines.push("Examples:", "", "```sh");
    examples.forEach((example, i) => {
      if (i > 0) lines.push("");
      if (typeof example === "string") lines.push(expand(example, bin, id).replace(/^\$ /, ""));
      else lines.push(`# ${clean(example.description)}`, expand(example.command, bin, id));
    });
    lines.push("```");
  }
  return lines;
}

function flagName(flag: Command.Flag.Cached): string {
  const long = flag.type === "boolean" && flag.allowNo ? `--[no-]${flag.name}` : `--${flag.name}`;
  const value = flag.type === "option" ? ` <${flag.options ? flag.options.join("\\|") : "value"}>` : "";
  return `${flag.char ? `\`-${flag.char}\`, ` : ""}\`${long}${value}\``;
}

function flagMeaning(flag: Command.Flag.Cached): string {
  const parts = [flag.summary ?? flag.description ?? ""];
  if (flag.type === "option" && flag.default !== undefined && typeof flag.default !== "function") {
    parts.push(`Default: \`${String(flag.default)}\`.`);
  }
  return parts.filter(Boolean).join(" ");
}

function firstLine(command: Command.Loadable): string {
  return clean(command.summary ?? command.description?.split("\n")[0] ?? "");
}

function displayId(id: string): string {
  return id.replaceAll(":", " ");
}

function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replaceAll(" ", "-");
}

function expand(template: string, bin: string, id: string): string {
  return template.replaceAll("<%= config.bin %>", bin).replaceAll("<%= command.id %>", id);
}

function clean(text: string): string {
  return text.trim();
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
