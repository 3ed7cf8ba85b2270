#!/usr/bin/env node
// `npm run demo`: builds the CLI, then runs the quickstart integration under `vrsky dev` — real
// NATS JetStream (from VRSKY_NATS_URL, Docker, or a local nats-server it starts and stops) —
// sends it a file of orders, waits until every message is delivered or dead-lettered, and
// shows what came out. Pass --tui to keep the live view open instead (q quits).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const example = join(root, "examples/quickstart");
const out = join(example, "out");
const live = process.argv.includes("--tui");

const step = (label) => console.log(`\n\u001b[1m▸ ${label}\u001b[0m`);
const run = (cmd, args, opts = {}) => {
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

step("Building the CLI and the packages it uses");
run("npx", ["turbo", "run", "build", "--filter=@vrsky/cli...", "--output-logs=errors-only"]);

rmSync(out, { recursive: true, force: true });
step("vrsky dev examples/quickstart — sending examples/quickstart/orders.ndjson");
const cli = join(root, "packages/cli/bin/run.js");
run(
  process.execPath,
  live
    ? [cli, "dev", ".", "--send", "orders.ndjson"]
    : [cli, "dev", ".", "--send", "orders.ndjson", "--exit-when-idle", "--no-tui", "--log-level", "warn"],
  { cwd: example },
);

step("What arrived");
for (const file of existsSync(out) ? readdirSync(out).sort() : []) {
  const lines = readFileSync(join(out, file), "utf8").trim().split("\n");
  console.log(`${file} (${lines.length} message${lines.length === 1 ? "" : "s"})`);
  for (const line of lines) console.log(`  ${line}`);
}
console.log(
  "\nNext: `cd examples/quickstart && npx vrsky dev` for the live view, docs/getting-started.md for your own connector.",
);
