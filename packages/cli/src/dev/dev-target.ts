import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { z } from "zod";
import { CliError, CliErrorCode } from "../cli-error.js";

/** What `vrsky dev [path]` runs. */
export type DevTarget =
  | { kind: "spec"; file: string; watchDir: string }
  | { kind: "connector"; entry: string; config: unknown | undefined; watchDir: string };

const ProjectFile = z.object({
  connector: z.string().default("src/index.ts"),
  devConfig: z.unknown().optional(),
  testConfig: z.unknown().optional(),
});

const SPEC_EXTENSIONS = [".yaml", ".yml", ".json"];

/**
 * Works out what to run: an integration spec file, a connector file, or a directory holding a
 * spec (`integration.yaml`) or a connector project (`vrsky.json`).
 * @throws CliError naming what was looked for
 */
export function resolveDevTarget(path: string | undefined, cwd: string): DevTarget {
  const target = resolve(cwd, path ?? ".");
  if (!existsSync(target)) {
    throw new CliError(CliErrorCode.NotFound, `${target} does not exist`, {
      suggestions: ["pass an integration spec (integration.yaml) or a connector project directory"],
    });
  }
  if (statSync(target).isDirectory()) {
    for (const name of ["integration.yaml", "integration.yml", "integration.json", "integration.ts"]) {
      const file = join(target, name);
      if (existsSync(file)) return { kind: "spec", file, watchDir: target };
    }
    const project = join(target, "vrsky.json");
    if (existsSync(project)) {
      const parsed = ProjectFile.safeParse(JSON.parse(readFileSync(project, "utf8")));
      if (!parsed.success) {
        throw new CliError(CliErrorCode.ConfigInvalid, `${project}: ${parsed.error.issues[0]?.message}`);
      }
      return {
        kind: "connector",
        entry: join(target, parsed.data.connector),
        config: parsed.data.devConfig ?? parsed.data.testConfig,
        watchDir: target,
      };
    }
    throw new CliError(CliErrorCode.NotFound, `no integration.yaml or vrsky.json in ${target}`, {
      suggestions: ["run `vrsky init integration <name>` or `vrsky init connector <name>`"],
    });
  }
  const ext = extname(target).toLowerCase();
  if (SPEC_EXTENSIONS.includes(ext)) return { kind: "spec", file: target, watchDir: dirname(target) };
  if ([".ts", ".mts", ".js", ".mjs"].includes(ext)) {
    // A TypeScript file is a spec if it says defineIntegration, a connector otherwise.
    const text = readFileSync(target, "utf8");
    if (/defineIntegration\s*\(/.test(text)) return { kind: "spec", file: target, watchDir: dirname(target) };
    return { kind: "connector", entry: target, config: undefined, watchDir: dirname(target) };
  }
  throw new CliError(
    CliErrorCode.InvalidInput,
    `cannot run ${target}: expected .yaml, .json, .ts or a directory`,
  );
}
