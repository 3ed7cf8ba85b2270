import { Command, Flags } from "@oclif/core";
import isInCi from "is-in-ci";
import { CliError, CliErrorCode } from "./cli-error.js";
import { ExitCode } from "./exit-code.js";
import { describeFailure, type Failure } from "./failure.js";
import { Spinner } from "./spinner.js";
import { createTerminalStyle, type TerminalStyle } from "./terminal-style.js";

/**
 * The base of every `vrsky` command, like sf-plugins-core's `SfCommand`:
 * - global flags `--json` (stdout then carries only the JSON result or `{ "error": … }`),
 *   `--verbose` (stack traces) and `--[no-]color`;
 * - colour only on a TTY with `NO_COLOR` unset; spinners only on a TTY and never with `--json`;
 * - errors printed as code, message and suggestions, never with a stack trace unless
 *   `--verbose`; an invalid config lists every issue; the exit code follows {@link ExitCode}.
 *
 * @typeParam T - what `run()` returns, printed as JSON with `--json`
 * @example
 * ```ts
 * export default class Hello extends VrskyCommand<{ greeting: string }> {
 *   static override description = "Say hello.";
 *   async run() {
 *     const greeting = "hello";
 *     this.log(greeting);
 *     return { greeting };
 *   }
 * }
 * ```
 */
export abstract class VrskyCommand<T> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    verbose: Flags.boolean({
      description: "Print stack traces and extra detail when something fails.",
      helpGroup: "GLOBAL",
    }),
    color: Flags.boolean({
      description: "Colour the output; colour is also off when NO_COLOR is set or output is not a terminal.",
      allowNo: true,
      default: true,
      helpGroup: "GLOBAL",
    }),
  };

  /** Styles for stdout. */
  protected out: TerminalStyle = createTerminalStyle({ stream: {}, allowed: false });
  /** Styles for stderr. */
  protected err: TerminalStyle = createTerminalStyle({ stream: {}, allowed: false });
  /** Set by a command whose work failed but whose result should still be printed (e.g. doctor). */
  protected exitStatus: ExitCode = ExitCode.Ok;
  #verbose = false;

  /** Runs the command; the result is printed as JSON with `--json`. */
  abstract override run(): Promise<T>;

  protected override async init(): Promise<void> {
    await super.init();
    // Read before parsing so that a parse error is still reported in the requested form.
    const argv = this.argv.slice(0, this.argv.includes("--") ? this.argv.indexOf("--") : undefined);
    this.#verbose = argv.includes("--verbose");
    const allowed = !argv.includes("--no-color") && !this.jsonEnabled();
    this.out = createTerminalStyle({ stream: process.stdout, allowed });
    this.err = createTerminalStyle({ stream: process.stderr, allowed });
  }

  protected override async _run<R>(): Promise<R> {
    const result = await super._run<R>();
    if (this.exitStatus !== ExitCode.Ok) this.exit(this.exitStatus);
    return result;
  }

  /**
   * Runs work that may take more than a second behind a spinner on stderr (none with
   * `--json` or without a terminal), then prints a ✓ or ✗ line with the label.
   *
   * @param label - what is being done, e.g. "Bundling src/index.ts"
   * @param work - the work; it may relabel the spinner
   * @returns what `work` returns
   */
  protected async progress<R>(label: string, work: (spinner: Spinner) => Promise<R>): Promise<R> {
    const spinner = new Spinner(process.stderr, process.stderr.isTTY === true && !this.jsonEnabled());
    spinner.start(label);
    try {
      const result = await work(spinner);
      spinner.stop(`${this.err.green("✓")} ${label}`);
      return result;
    } catch (error) {
      spinner.stop(`${this.err.red("✗")} ${label}`);
      throw error;
    }
  }

  /**
   * Whether the command may prompt: stdin and stderr are terminals, this is not a CI job (where
   * ink draws only the final frame, so a prompt would be invisible), and neither `--json` nor
   * `--yes` was given.
   * @param yes - the `--yes` flag, for commands that have it
   */
  protected canPrompt(yes = false): boolean {
    return (
      !yes && !isInCi && !this.jsonEnabled() && process.stdin.isTTY === true && process.stderr.isTTY === true
    );
  }

  /**
   * The error for a value that is missing and cannot be asked for.
   * @param flag - how to pass it, e.g. `--kind <consumer|producer|converter|filter>`
   */
  protected missing(flag: string): CliError {
    const why = this.jsonEnabled() ? "--json never prompts" : "there is no terminal to prompt on";
    return new CliError(CliErrorCode.InvalidInput, `missing ${flag} (${why})`, {
      suggestions: [
        `pass ${flag}`,
        `run \`${this.config.bin} ${(this.id ?? "").replaceAll(":", " ")} --help\``,
      ],
    });
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (isExit(error)) throw error;
    const failure = describeFailure(error);
    if (this.jsonEnabled()) this.logJson({ error: failure });
    else process.stderr.write(`${this.renderFailure(failure, error)}\n`);
    // An ExitError ends the process with our code and is not printed again by oclif.
    return this.exit(failure.exitCode);
  }

  private renderFailure(failure: Failure, error: unknown): string {
    const { red, dim, bold } = this.err;
    const lines = [`${red(bold("Error"))} ${dim(`[${failure.code}]`)} ${failure.message}`];
    for (const issue of failure.issues ?? []) {
      const at = issue.line === undefined ? "" : dim(` (line ${issue.line})`);
      lines.push(`  ${red("✗")} ${bold(issue.path)}${at}: ${issue.message}`);
    }
    for (const suggestion of failure.suggestions) lines.push(`  ${dim("→")} ${suggestion}`);
    if (this.#verbose && error instanceof Error && error.stack) {
      lines.push("", dim(error.stack));
      if (error.cause instanceof Error && error.cause.stack)
        lines.push(dim(`Caused by: ${error.cause.stack}`));
    }
    return lines.join("\n");
  }
}

function isExit(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === "EEXIT";
}
