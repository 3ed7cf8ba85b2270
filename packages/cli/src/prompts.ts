import { render } from "ink";
import { createElement } from "react";
import { CliError, CliErrorCode } from "./cli-error.js";
import { type SelectChoice, SelectPrompt } from "./views/select-prompt.js";
import { TextPrompt } from "./views/text-prompt.js";

/** The terminal a prompt talks to. */
export interface PromptTerminal {
  /** Keys come from here; must be a TTY. */
  stdin: NodeJS.ReadStream;
  /** The prompt is drawn here (stderr, so stdout stays clean for results). */
  output: NodeJS.WriteStream;
}

/** The process's terminal: stdin for keys, stderr for drawing. */
export function processTerminal(): PromptTerminal {
  return { stdin: process.stdin, output: process.stderr };
}

/**
 * Asks the user to choose one value.
 * @param message - the question
 * @param choices - the values, with hints
 * @param terminal - where to prompt @default the process's terminal
 * @returns the chosen value
 * @throws CliError `INVALID_INPUT` when the user cancels
 */
export function promptSelect<V extends string>(
  message: string,
  choices: readonly SelectChoice<V>[],
  terminal: PromptTerminal = processTerminal(),
): Promise<V> {
  return ask<V>(terminal, (onSubmit, onCancel) =>
    createElement(SelectPrompt<V>, { message, choices, onSubmit, onCancel }),
  );
}

/**
 * Asks the user for a line of text.
 * @param message - the question
 * @param validate - returns the problem with a value, or `undefined` to accept it
 * @param terminal - where to prompt @default the process's terminal
 * @returns the accepted, trimmed text
 * @throws CliError `INVALID_INPUT` when the user cancels
 */
export function promptText(
  message: string,
  validate: (value: string) => string | undefined,
  terminal: PromptTerminal = processTerminal(),
): Promise<string> {
  return ask<string>(terminal, (onSubmit, onCancel) =>
    createElement(TextPrompt, { message, validate, onSubmit, onCancel }),
  );
}

/**
 * Asks for a secret value on the terminal, showing a bullet for each character typed.
 *
 * @param message - the question
 * @param validate - returns the problem with a value, or `undefined` to accept it
 * @param terminal - where to prompt @default the process's terminal
 * @returns the accepted value, untrimmed
 * @throws CliError `INVALID_INPUT` when the user cancels
 */
export function promptSecret(
  message: string,
  validate: (value: string) => string | undefined,
  terminal: PromptTerminal = processTerminal(),
): Promise<string> {
  return ask<string>(terminal, (onSubmit, onCancel) =>
    createElement(TextPrompt, { message, validate, onSubmit, onCancel, mask: true }),
  );
}

async function ask<V>(
  terminal: PromptTerminal,
  view: (onSubmit: (value: V) => void, onCancel: () => void) => ReturnType<typeof createElement>,
): Promise<V> {
  let answer: { value: V } | undefined;
  const instance = render(
    view(
      (value) => {
        answer = { value };
      },
      () => {},
    ),
    { stdin: terminal.stdin, stdout: terminal.output, exitOnCtrlC: false, patchConsole: false },
  );
  await instance.waitUntilExit();
  instance.cleanup();
  if (answer === undefined) throw new CliError(CliErrorCode.InvalidInput, "cancelled at the prompt");
  return answer.value;
}
