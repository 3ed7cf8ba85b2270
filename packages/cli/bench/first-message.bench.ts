// `npm run bench:cli`: how long from `vrsky init connector` to the first message through the new
// connector under `vrsky dev`, and how long a hot reload takes. Uses the built CLI (run
// `npx tsup` in packages/cli first; `npm run bench:cli` does) and packs the workspace SDK in
// place of the npm registry — packing is not counted.
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packTemplateDependencies, pinWorkspaceDependencies, run } from "@vrsky/templates/testing";

const cli = fileURLToPath(new URL("../bin/run.js", import.meta.url));
const env = {
  ...process.env,
  NODE_OPTIONS: "",
  NO_COLOR: "1",
  VRSKY_NATS_URL: process.env.VRSKY_NATS_URL ?? "nats://127.0.0.1:4222",
};
const now = () => performance.now();
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const work = mkdtempSync(join(tmpdir(), "vrsky-first-message-"));
const project = join(work, "hello-upper");
let dev: ChildProcess | undefined;
try {
  const deps = await packTemplateDependencies(work);

  const t0 = now();
  await run(
    process.execPath,
    [cli, "init", "connector", "hello-upper", "--kind", "converter", "--dir", project, "--yes", "--json"],
    { cwd: work, env },
  );
  const tInit = now();

  // @vrsky/sdk is not published yet: point the project at the SDK packed from this checkout.
  const manifestFile = join(project, "package.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { dependencies: Record<string, string> };
  manifest.dependencies["@vrsky/sdk"] = deps.sdk;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  await pinWorkspaceDependencies(project);
  const tPin = now();
  await run("npm", ["install", "--no-audit", "--no-fund"], { cwd: project, env });
  const tInstall = now();

  let stderr = "";
  const seen = (pattern: RegExp, from = 0) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${pattern}:\n${stderr}`)),
        60_000,
      );
      const check = () => {
        if (pattern.test(stderr.slice(from))) {
          clearTimeout(timer);
          dev?.stderr?.off("data", check);
          resolve();
        }
      };
      dev?.stderr?.on("data", check);
      check();
    });
  dev = spawn(process.execPath, [cli, "dev", ".", "--no-tui", "--log-level", "warn"], {
    cwd: project,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  dev.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  await seen(/running dev-hello-upper/);
  while (!existsSync(join(project, ".vrsky", "dev.json"))) await new Promise((r) => setTimeout(r, 20));
  const tDev = now();
  await run(process.execPath, [cli, "send", "src/__fixtures__/order.json", "--json"], { cwd: project, env });
  await seen(/out\.log/);
  const tFirst = now();

  console.log(
    `from \`vrsky init connector\` to the first message through it under \`vrsky dev\` (converter template):`,
  );
  console.log(`  init                 ${fmt(tInit - t0)}`);
  console.log(
    `  npm install          ${fmt(tInstall - tPin)}  (packed workspace SDK standing in for the registry)`,
  );
  console.log(`  vrsky dev ready      ${fmt(tDev - tInstall)}`);
  console.log(`  send → delivered     ${fmt(tFirst - tDev)}`);
  console.log(`  total                ${fmt(tFirst - t0 - (tPin - tInit))}`);

  const reloads: number[] = [];
  for (let i = 0; i < 5; i++) {
    const from = stderr.length;
    const started = now();
    appendFileSync(join(project, "src/index.ts"), `\n// edit ${i}\n`);
    await seen(/reloaded index\.ts in \d+ ms/, from);
    reloads.push(now() - started);
  }
  reloads.sort((a, b) => a - b);
  console.log(
    `hot reload, save → new version running (5 edits): median ${reloads[2]?.toFixed(0)} ms, max ${reloads[4]?.toFixed(0)} ms`,
  );
} finally {
  if (dev) {
    const exited = new Promise((resolve) => dev?.once("exit", resolve));
    dev.kill("SIGINT");
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
}
