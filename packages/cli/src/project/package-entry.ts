import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * Finds an installed package's directory the way Node does: in `node_modules` of `fromDir`
 * and each directory above it.
 *
 * @param fromDir - where the import would happen
 * @param name - package name, e.g. `@vrsky/sdk`
 * @returns the package directory, or `undefined` when it is not installed
 */
export function findPackageDir(fromDir: string, name: string): string | undefined {
  let dir = resolve(fromDir);
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The file an ESM `import` of `name` + `subpath` resolves to from `fromDir`, read from the
 * package's `exports` (`import`, then `default`). Used to load the copy of a package a user's
 * project has installed rather than the CLI's own.
 *
 * @param fromDir - the user's project
 * @param name - package name, e.g. `@vrsky/sdk`
 * @param subpath - export subpath, e.g. `./testing` @default "."
 * @returns the absolute file, or `undefined` when the package or the export is missing
 */
export function resolvePackageExport(fromDir: string, name: string, subpath = "."): string | undefined {
  const packageDir = findPackageDir(fromDir, name);
  if (packageDir === undefined) return undefined;
  const manifest: unknown = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  const exportsField = (manifest as { exports?: unknown }).exports;
  const target = pickTarget(
    typeof exportsField === "object" && exportsField !== null && !Array.isArray(exportsField)
      ? (exportsField as Record<string, unknown>)[subpath]
      : undefined,
  );
  return target === undefined ? undefined : resolve(packageDir, target);
}

function pickTarget(entry: unknown): string | undefined {
  if (typeof entry === "string") return entry;
  if (typeof entry !== "object" || entry === null) return undefined;
  const conditions = entry as Record<string, unknown>;
  for (const condition of ["import", "node", "default"]) {
    const found = pickTarget(conditions[condition]);
    if (found !== undefined) return found;
  }
  return undefined;
}
