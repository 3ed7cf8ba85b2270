import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/i;

/**
 * Imports user code: a file (TypeScript through tsx, JavaScript natively) or an npm package
 * resolved from `baseDir`'s `node_modules`.
 *
 * @param target - an absolute file path, or a package name
 * @param baseDir - the directory a package name is resolved from
 * @returns the module namespace
 * @throws whatever the import throws (not found, syntax error, error at load time)
 */
export async function importModule(target: string, baseDir: string): Promise<Record<string, unknown>> {
  const isFile = target.startsWith("/") || /^[A-Za-z]:[\\/]/.test(target);
  if (isFile && !TYPESCRIPT.test(target)) {
    return (await import(pathToFileURL(target).href)) as Record<string, unknown>;
  }
  // tsImport resolves relative to parentURL with Node's ESM rules (the `import` condition),
  // which createRequire cannot do for ESM-only packages; it also compiles TypeScript.
  const parentURL = pathToFileURL(`${baseDir.replace(/[\\/]$/, "")}/`).href;
  const specifier = isFile ? pathToFileURL(target).href : target;
  return (await tsImport(specifier, { parentURL })) as Record<string, unknown>;
}
