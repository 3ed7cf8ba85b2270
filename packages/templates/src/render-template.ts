import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import packageJson from "../package.json" with { type: "json" };
import { TemplateError, TemplateErrorCode } from "./template-error.js";
import type { TemplateKind } from "./template-kind.js";

/** The values a template's `{{placeholders}}` are filled with. */
export interface TemplateVariables {
  /** Project and connector name, kebab-case, e.g. `order-total`. */
  name: string;
  /** The `@vrsky/sdk` dependency spec. @default `^` + this package's version (versions move in lockstep) */
  sdkVersion?: string;
  /** The `@vrsky/runtime` dependency spec (integrations). @default same as `sdkVersion`'s default */
  runtimeVersion?: string;
  /** One sentence for package.json and the README. @default derived from the kind */
  description?: string;
}

/** What {@link renderTemplate} wrote. */
export interface RenderedTemplate {
  /** The template rendered. */
  kind: TemplateKind;
  /** Absolute path of the new project. */
  targetDir: string;
  /** Files written, relative to `targetDir`, `/`-separated and sorted. */
  files: string[];
}

/** The default dependency spec of the VRSky packages a rendered project uses. */
export const DEFAULT_VRSKY_VERSION = `^${packageJson.version}`;

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PLACEHOLDER = /\{\{(\w+)\}\}/g;
// npm drops files called .gitignore from published packages, so templates ship them renamed.
const RENAMES = new Map([["_gitignore", ".gitignore"]]);
const DESCRIPTIONS: Record<TemplateKind, string> = {
  "connector-consumer": "A VRSky consumer connector: it brings messages in from a system.",
  "connector-producer": "A VRSky producer connector: it delivers messages to a system.",
  "connector-converter": "A VRSky converter connector: it transforms messages.",
  "connector-filter": "A VRSky filter connector: it passes, drops or routes messages.",
  integration: "A VRSky integration: a source, steps and sinks.",
};

/**
 * Writes a new project from a template: every file of `templates/<kind>/`, with `{{name}}`,
 * `{{title}}`, `{{description}}`, `{{sdkVersion}}` and `{{runtimeVersion}}` filled in.
 *
 * @param kind - which template
 * @param variables - the project name and dependency versions
 * @param targetDir - where to write; must not exist or be empty
 * @returns the files written
 * @throws TemplateError `INVALID_NAME` for a name that is not kebab-case, `TARGET_NOT_EMPTY`
 *   when `targetDir` holds files
 * @example
 * ```ts
 * const { files } = await renderTemplate("connector-converter", { name: "order-total" }, "./order-total");
 * ```
 */
export async function renderTemplate(
  kind: TemplateKind,
  variables: TemplateVariables,
  targetDir: string,
): Promise<RenderedTemplate> {
  if (!NAME.test(variables.name)) {
    throw new TemplateError(
      TemplateErrorCode.InvalidName,
      `"${variables.name}" is not a valid name: use lower-case words joined by dashes, e.g. "order-total"`,
    );
  }
  const target = resolve(targetDir);
  if (existsSync(target) && (await readdir(target)).length > 0) {
    throw new TemplateError(
      TemplateErrorCode.TargetNotEmpty,
      `${target} is not empty: choose another directory or remove its files`,
    );
  }
  const values: Record<string, string> = {
    name: variables.name,
    title: titleOf(variables.name),
    description: variables.description ?? DESCRIPTIONS[kind],
    sdkVersion: variables.sdkVersion ?? DEFAULT_VRSKY_VERSION,
    runtimeVersion: variables.runtimeVersion ?? DEFAULT_VRSKY_VERSION,
  };
  const source = join(templatesRoot(), kind);
  const files: string[] = [];
  for (const file of await listFiles(source)) {
    const rel = relative(source, file).split("\\").join("/");
    const base = rel.split("/").pop() ?? rel;
    const renamed = RENAMES.has(base) ? `${rel.slice(0, -base.length)}${RENAMES.get(base)}` : rel;
    const text = fill(await readFile(file, "utf8"), values, `${kind}/${rel}`);
    const out = join(target, renamed);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, text);
    files.push(renamed);
  }
  return { kind, targetDir: target, files: files.sort() };
}

/**
 * The directory holding the templates. Found beside this module (source and `dist/` both sit
 * one level under the package root), or through package resolution when a bundler has
 * inlined this module into another package (the CLI does).
 */
export function templatesRoot(): string {
  const beside = fileURLToPath(new URL("../templates/", import.meta.url));
  if (existsSync(join(beside, "integration"))) return beside;
  const manifest = createRequire(import.meta.url).resolve("@vrsky/templates/package.json");
  return join(dirname(manifest), "templates");
}

function fill(text: string, values: Record<string, string>, where: string): string {
  return text.replace(PLACEHOLDER, (match, key: string) => {
    const value = values[key];
    if (value === undefined) {
      throw new TemplateError(
        TemplateErrorCode.UnknownPlaceholder,
        `template file ${where} uses ${match}, which no variable fills (known: ${Object.keys(values).join(", ")})`,
      );
    }
    return value;
  });
}

function titleOf(name: string): string {
  return name
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" ? [] : listFiles(path);
      return [path];
    }),
  );
  return nested.flat();
}
