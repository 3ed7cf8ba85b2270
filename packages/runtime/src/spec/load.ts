import { readFile } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { ConfigError } from "@vrsky/sdk";
import { importModule } from "./import-module.js";
import { parseIntegrationSpecDocument } from "./parse.js";
import { IntegrationSpec } from "./schema.js";
import { type SpecPositions, toSpecIssues } from "./spec-issues.js";

const TEXT_FORMATS = new Map<string, "yaml" | "json">([
  [".yaml", "yaml"],
  [".yml", "yaml"],
  [".json", "json"],
]);
const MODULE_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"];

/** A spec loaded from a file. */
export interface LoadedIntegrationSpec {
  /** The validated spec, defaults applied. */
  spec: IntegrationSpec;
  /** Absolute path of the file; its directory is the base of relative connector paths. */
  file: string;
  /** Positions of the spec's fields (YAML and JSON files only). */
  positions?: SpecPositions;
}

/**
 * Loads an integration spec from a file: `.yaml`, `.yml` or `.json` text, or a `.ts`, `.mts`,
 * `.js` or `.mjs` module whose default export is the spec (usually `defineIntegration(…)`).
 *
 * @param path - the spec file, absolute or relative to the working directory
 * @returns the spec, its absolute path and (for text files) the positions of its fields
 * @throws ConfigError when the file cannot be read or imported, has an unsupported extension,
 *   or is not a valid spec — every problem listed with its path and line
 * @example
 * ```ts
 * const { spec, file, positions } = await loadIntegrationSpec("integrations/orders.yaml");
 * ```
 */
export async function loadIntegrationSpec(path: string): Promise<LoadedIntegrationSpec> {
  const file = resolve(path);
  const extension = extname(file).toLowerCase();
  const fail = (message: string, cause?: unknown): ConfigError =>
    new ConfigError([{ path: "", message }], { where: file, cause });
  const format = TEXT_FORMATS.get(extension);
  if (format !== undefined) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw fail(`cannot read the spec file (${errorCode(error)}): check the path`, error);
    }
    return { file, ...parseIntegrationSpecDocument(text, { file, format }) };
  }
  if (!MODULE_EXTENSIONS.includes(extension)) {
    throw fail(
      `unsupported spec file extension "${extension}": use .yaml, .yml, .json, ${MODULE_EXTENSIONS.join(", ")}`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = await importModule(file, dirname(file));
  } catch (error) {
    throw fail(
      `cannot import the spec module: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
  if (module.default === undefined) {
    throw fail("the module has no default export: end it with `export default defineIntegration({ … })`");
  }
  const result = IntegrationSpec.safeParse(module.default);
  if (!result.success) throw new ConfigError(toSpecIssues(result.error), { where: file });
  return { spec: result.data, file };
}

function errorCode(error: unknown): string {
  return error instanceof Error && "code" in error && typeof error.code === "string"
    ? error.code
    : "unreadable";
}
