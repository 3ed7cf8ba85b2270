import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cliDir = fileURLToPath(new URL("..", import.meta.url));
const sdkDir = fileURLToPath(new URL("../../sdk", import.meta.url));

/**
 * Builds the CLI (tests run `bin/run.js` as a child process) and, when stale, the SDK's dist:
 * the fixture projects import `@vrsky/sdk` as a user's project would, through its `import`
 * export rather than the sources.
 */
export default function setup(): void {
  execFileSync("npx", ["tsup"], { cwd: cliDir, stdio: "pipe" });
  const sdkBuild = join(sdkDir, "dist", "testing", "index.js");
  if (!existsSync(sdkBuild) || newestMtime(join(sdkDir, "src")) > statSync(sdkBuild).mtimeMs) {
    execFileSync("npx", ["tsup"], { cwd: sdkDir, stdio: "pipe" });
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
