import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { type ParsedIntegrationSpec, parseIntegrationSpecDocument } from "@vrsky/runtime";
import { ConfigError } from "@vrsky/sdk";
import { CliError, CliErrorCode } from "../cli-error.js";
import { INTEGRATION_NAME, type SpecFormat, type SpecText } from "./integrations-api.js";

const FORMATS = new Map<string, SpecFormat>([
  [".yaml", "yaml"],
  [".yml", "yaml"],
  [".json", "json"],
]);

/** A spec file read and validated locally, ready to deploy. */
export interface SpecFile extends SpecText {
  /** The file as the user named it, for messages. */
  file: string;
  /** The integration name: `--name`, else the spec's `name`. */
  name: string;
  /** The spec's own name when `--name` deploys it under another one. */
  renamedFrom: string | undefined;
}

/**
 * Reads a YAML or JSON integration spec and validates it locally (syntax and the spec's
 * schema; connector configs are the platform's to check), so mistakes show with their line
 * before any call to the platform. With `name`, the spec's top-level `name:` value is rewritten
 * in the text, keeping everything else as written, so one file can be deployed under several
 * names (e.g. `orders` and `orders-staging`).
 *
 * @param file - the spec file, as the user named it
 * @param options - `name` to deploy it under
 * @throws CliError `NOT_FOUND` when the file cannot be read, `INVALID_INPUT` for another
 *   extension or an invalid name, `CONFIG_INVALID` listing every problem with its path and line
 */
export async function readSpecFile(
  file: string,
  options: { name?: string | undefined } = {},
): Promise<SpecFile> {
  const format = FORMATS.get(extname(file).toLowerCase());
  if (format === undefined) {
    throw new CliError(
      CliErrorCode.InvalidInput,
      `cannot deploy ${file}: the platform takes YAML or JSON specs (.yaml, .yml, .json)`,
      { suggestions: ["a .ts spec runs locally with `vrsky dev`; write the spec as YAML to deploy it"] },
    );
  }
  if (options.name !== undefined && !INTEGRATION_NAME.test(options.name)) {
    throw new CliError(
      CliErrorCode.InvalidInput,
      `invalid --name "${options.name}": use lower-case letters, digits and dashes, starting with a letter (at most 63)`,
    );
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new CliError(CliErrorCode.NotFound, `cannot read the spec file ${file} (${code})`, {
      suggestions: ["check the path; `vrsky init integration <name>` writes a spec to start from"],
      cause: error,
    });
  }
  const parsed = parse(text, file, format);
  const own = parsed.spec.name;
  if (options.name === undefined || options.name === own) {
    return { file, spec: text, format, name: own, renamedFrom: undefined };
  }
  const renamed = rename(text, format, parsed, options.name);
  if (renamed === undefined || parse(renamed, file, format).spec.name !== options.name) {
    throw new CliError(
      CliErrorCode.InvalidInput,
      `cannot deploy ${file} as ${options.name}: its name "${own}" is not written as a plain \`name: ${own}\` line to replace`,
      { suggestions: [`set \`name: ${options.name}\` in ${file}, or leave out --name`] },
    );
  }
  return { file, spec: renamed, format, name: options.name, renamedFrom: own };
}

function parse(text: string, file: string, format: SpecFormat): ParsedIntegrationSpec {
  try {
    return parseIntegrationSpecDocument(text, { file, format });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const count = `${error.issues.length} problem${error.issues.length === 1 ? "" : "s"}`;
    throw new CliError(
      CliErrorCode.ConfigInvalid,
      `${file} is not a valid integration spec (${count}); nothing was deployed`,
      {
        issues: error.issues.map((issue) => ({
          path: issue.path || "(root)",
          message: issue.message,
          ...(issue.line === undefined ? {} : { line: issue.line }),
        })),
        suggestions: [`fix each problem listed in ${file}, then deploy again`],
        cause: error,
      },
    );
  }
}

/** The text with the top-level `name` value replaced, or `undefined` when it is not a plain key/value. */
function rename(
  text: string,
  format: SpecFormat,
  parsed: ParsedIntegrationSpec,
  name: string,
): string | undefined {
  const at = parsed.positions.locate(["name"]);
  if (at === undefined) return undefined;
  const lines = text.split("\n");
  const line = lines[at.line - 1];
  if (line === undefined) return undefined;
  const key =
    format === "json"
      ? /^"name"\s*:\s*"[^"\\]*"/
      : /^name\s*:\s*(?:"[^"\\]*"|'[^']*'|[a-z][a-z0-9-]*)(?=\s*(?:#|,|}|$))/;
  const rest = line.slice(at.column - 1);
  const match = key.exec(rest);
  if (match === null) return undefined;
  const value = match[0].replace(/("[^"\\]*"|'[^']*'|[a-z][a-z0-9-]*)$/, JSON.stringify(name));
  lines[at.line - 1] = line.slice(0, at.column - 1) + value + rest.slice(match[0].length);
  return lines.join("\n");
}
