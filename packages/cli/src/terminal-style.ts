/** The few styles the CLI uses. Each returns its input unchanged when colour is off. */
export interface TerminalStyle {
  /** Whether colour is on. */
  readonly enabled: boolean;
  /** Success marks. */
  green(text: string): string;
  /** Failure marks and error titles. */
  red(text: string): string;
  /** Warnings. */
  yellow(text: string): string;
  /** Headings and names. */
  bold(text: string): string;
  /** Secondary details: fixes, paths, hints. */
  dim(text: string): string;
}

/** Options of {@link createTerminalStyle}. */
export interface TerminalStyleOptions {
  /** The stream the styled text goes to; colour needs it to be a TTY. */
  stream: { isTTY?: boolean };
  /** `false` for `--no-color` or `--json`. @default true */
  allowed?: boolean;
  /** Where `NO_COLOR` is read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/**
 * Colours for one output stream: on only when the stream is a TTY, `NO_COLOR` is unset or
 * empty (https://no-color.org) and the command allows it.
 *
 * @param options - the stream, whether the command allows colour, the environment
 * @example
 * ```ts
 * const style = createTerminalStyle({ stream: process.stderr, allowed: !flags.json });
 * process.stderr.write(`${style.green("✓")} done\n`);
 * ```
 */
export function createTerminalStyle(options: TerminalStyleOptions): TerminalStyle {
  const env = options.env ?? process.env;
  const enabled = (options.allowed ?? true) && options.stream.isTTY === true && (env.NO_COLOR ?? "") === "";
  const paint =
    (open: number, close: number) =>
    (text: string): string =>
      enabled ? `\u001B[${open}m${text}\u001B[${close}m` : text;
  return {
    enabled,
    green: paint(32, 39),
    red: paint(31, 39),
    yellow: paint(33, 39),
    bold: paint(1, 22),
    dim: paint(2, 22),
  };
}
