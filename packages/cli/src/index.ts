/**
 * The `vrsky` command line. Commands live in `src/commands/<topic>/<verb>.ts`; this entry
 * exports what commands share, for commands written elsewhere in the repository.
 * @packageDocumentation
 */
export { VrskyCommand } from "./base-command.js";
export type { CliErrorOptions } from "./cli-error.js";
export { CliError, CliErrorCode, EXIT_CODE_OF } from "./cli-error.js";
export { renderCommandReference } from "./docs/command-reference.js";
export { formatMarkdown } from "./docs/format-markdown.js";
export { ExitCode } from "./exit-code.js";
export type { Failure, FailureIssue } from "./failure.js";
export { describeFailure } from "./failure.js";
export type { PromptTerminal } from "./prompts.js";
export { promptSelect, promptText } from "./prompts.js";
export { Spinner } from "./spinner.js";
export type { TerminalStyle, TerminalStyleOptions } from "./terminal-style.js";
export { createTerminalStyle } from "./terminal-style.js";
