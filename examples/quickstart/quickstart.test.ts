// The README's demo, end to end: the built `vrsky` CLI runs this directory's integration on
// real NATS JetStream (`npm test` builds the CLI first).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { baseEnv, cli } from "../cli-env.js";

const here = import.meta.dirname;
const env = baseEnv;
const out = join(here, "out");
const ids = (file: string) =>
  existsSync(join(out, file))
    ? readFileSync(join(out, file), "utf8")
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { id: number }).id)
        .sort()
    : [];

/** Removes what a run leaves: the sinks' files and the dead letters (`npm run demo` leaves both too). */
function clean(): void {
  rmSync(out, { recursive: true, force: true });
  spawnSync(
    process.execPath,
    [cli, "dlq", "purge", "--all", "--integration", "quickstart", "--nats-url", env.VRSKY_NATS_URL],
    { env },
  );
}

beforeEach(clean);
afterEach(clean);

describe("the quickstart example", () => {
  it("routes big orders to priority, archives every good order, and dead-letters the malformed one", () => {
    const run = spawnSync(
      process.execPath,
      [cli, "dev", ".", "--send", "orders.ndjson", "--exit-when-idle", "--json"],
      {
        cwd: here,
        env,
        encoding: "utf8",
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { delivered: Record<string, number>; deadLettered: number };
    expect(result.delivered).toEqual({ priority: 2, archive: 4 });
    expect(result.deadLettered).toBe(1);
    expect(ids("priority.ndjson")).toEqual([2, 5]);
    expect(ids("archive.ndjson")).toEqual([1, 2, 3, 5]);
  });

  it("accepts orders over HTTP while `vrsky dev` runs", async () => {
    const dev = spawn(process.execPath, [cli, "dev", ".", "--no-tui", "--log-level", "warn"], {
      cwd: here,
      env,
    });
    try {
      await expect
        .poll(async () => (await fetch("http://127.0.0.1:8787/healthz").catch(() => undefined))?.status, {
          timeout: 30_000,
          interval: 200,
        })
        .toBe(200);
      const res = await fetch("http://127.0.0.1:8787/orders", {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-delivery": "order-77" },
        body: JSON.stringify({ id: 77, customer: "barbara", qty: 3, price: 200 }),
      });
      expect(res.status).toBe(202);
      await expect.poll(() => ids("priority.ndjson"), { timeout: 15_000 }).toEqual([77]);
    } finally {
      const exited = new Promise((resolve) => dev.once("exit", resolve));
      dev.kill("SIGTERM");
      await exited;
    }
  });
});
