import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { packWorkspacePackage } from "@vrsky/templates/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI } from "./run-cli.js";

const guide = fileURLToPath(new URL("../../../docs/getting-started.md", import.meta.url));

/** The ```sh blocks of a Markdown document, in order. */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? "");
}

describe("docs/getting-started.md", () => {
  let work = "";
  let sdkTarball = "";
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "vrsky-getting-started-"));
    sdkTarball = await packWorkspacePackage("sdk", work);
  }, 120_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  // The one slow CLI test: it installs a generated project from npm, as a reader would.
  it("runs every shell command of the guide, in order, in a fresh directory", async () => {
    const blocks = shellBlocks(await readFile(guide, "utf8"));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const script = [
      "set -euo pipefail",
      `vrsky() { node ${JSON.stringify(CLI)} "$@"; }`,
      // @vrsky/sdk is not published yet: before installing, point the generated project at
      // the SDK packed from this checkout. Everything else comes from the registry as usual.
      `npm() { if [ "$1" = install ]; then node -e 'const f="package.json",p=JSON.parse(require("fs").readFileSync(f));p.dependencies["@vrsky/sdk"]="file:${sdkTarball}";require("fs").writeFileSync(f,JSON.stringify(p,null,2))'; fi; command npm "$@"; }`,
      ...blocks.flatMap((block, i) => [`echo "::block ${i + 1}::"`, block]),
      'echo "::done::"',
    ].join("\n");
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !key.startsWith("VITEST") && key !== "NODE_OPTIONS" && key !== "FORCE_COLOR",
      ),
    );
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn("bash", ["-c", script], {
        cwd: work,
        env: { ...env, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let text = "";
      child.stdout.on("data", (chunk) => {
        text += chunk;
      });
      child.stderr.on("data", (chunk) => {
        text += chunk;
      });
      child.on("error", reject);
      child.on("close", (exit) => resolve({ code: exit, output: stripVTControlCharacters(text) }));
    });
    expect(code, output).toBe(0);
    expect(output).toContain("::done::");
    expect(output).toContain("Ready: every required check passed");
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).toMatch(/dev-order-total: received 1, delivered log 1, retried 0, dead-lettered 0/);
    expect(output).toContain("✓ ready to publish");
    const manifest = JSON.parse(await readFile(join(work, "order-total", "dist", "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({
      kind: "converter",
      name: "order-total",
      bundle: { file: "connector.mjs" },
    });
    expect(existsSync(join(work, "order-total", "dist", "connector.mjs"))).toBe(true);
  }, 300_000);
});
