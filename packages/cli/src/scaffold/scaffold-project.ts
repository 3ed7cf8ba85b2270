import { relative, resolve } from "node:path";
import { renderTemplate, type TemplateKind } from "@vrsky/templates";

/** What `vrsky init connector` and `vrsky init integration` print with `--json`. */
export interface InitResult {
  /** The template rendered. */
  template: TemplateKind;
  /** The project and connector name. */
  name: string;
  /** Absolute path of the new project. */
  directory: string;
  /** Files written, relative to `directory`. */
  files: string[];
  /** The commands to run next, in order. */
  next: string[];
}

/** Connector names are the SDK's: kebab-case. */
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * What is wrong with a project name, or `undefined` when it is valid.
 * @param name - e.g. from the command line or a prompt
 */
export function nameProblem(name: string): string | undefined {
  return NAME.test(name)
    ? undefined
    : `"${name}" is not kebab-case: use lower-case words joined by dashes, e.g. "order-total"`;
}

/**
 * Renders a template into `dir` (default `./<name>`) and lists the next steps.
 * @param template - which template
 * @param name - project name, kebab-case
 * @param dir - target directory, relative to the working directory
 * @param next - the commands to run after `cd`
 * @throws TemplateError when the name is invalid or the directory is not empty
 */
export async function scaffoldProject(
  template: TemplateKind,
  name: string,
  dir: string | undefined,
  next: readonly string[],
): Promise<InitResult> {
  const directory = resolve(dir ?? name);
  const { files } = await renderTemplate(template, { name }, directory);
  const cd = relative(process.cwd(), directory) || ".";
  return { template, name, directory, files, next: [...(cd === "." ? [] : [`cd ${cd}`]), ...next] };
}
