import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Formats Markdown the way `biome check --write` would (the repository's formatter aligns
 * tables), so a generated file stays byte-identical after the repository is formatted.
 *
 * @param markdown - the text
 * @param path - the file it is for, which selects biome's settings, e.g. `docs/cli.md`
 * @returns the formatted text
 * @throws Error when biome (a development dependency of the repository) is not installed
 */
export function formatMarkdown(markdown: string, path: string): string {
  const biomePackage = createRequire(import.meta.url).resolve("@biomejs/biome/package.json");
  return execFileSync(join(dirname(biomePackage), "bin", "biome"), ["format", `--stdin-file-path=${path}`], {
    input: markdown,
    encoding: "utf8",
    cwd: dirname(path),
  });
}
