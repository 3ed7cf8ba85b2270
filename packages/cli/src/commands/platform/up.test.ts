import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../../../test/run-cli.js";

const POSTGRES = process.env.VRSKY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

describe("vrsky platform up", () => {
  const database = `vrsky_up_${randomBytes(5).toString("hex")}`;
  const dirs: string[] = [];
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: POSTGRES });
    await admin.connect();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("starts the platform, logs the CLI in as a new tenant, and stops cleanly on Ctrl-C", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vrsky-up-"));
    dirs.push(dir);
    const env = {
      ...process.env,
      NODE_OPTIONS: "",
      NO_COLOR: "1",
      VRSKY_CONFIG_DIR: join(dir, "config"),
      VRSKY_NATS_URL: "nats://127.0.0.1:4222",
      VRSKY_POSTGRES_URL: POSTGRES,
    };
    const up: ChildProcess = spawn(
      process.execPath,
      [
        CLI,
        "platform",
        "up",
        "--json",
        "--port",
        "0",
        "--tenant",
        "demo",
        "--data-dir",
        join(dir, "data"),
        "--database",
        database,
      ],
      { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    up.stdout?.on("data", (c) => {
      stdout += c;
    });
    up.stderr?.on("data", (c) => {
      stderr += c;
    });
    const exited = new Promise<number | null>((resolve) => up.on("close", (code) => resolve(code)));
    try {
      await expect.poll(() => stdout.includes("\n"), { timeout: 60_000, interval: 100 }).toBe(true);
      const ready = JSON.parse(stdout.split("\n")[0] as string) as {
        url: string;
        adminToken: string;
        tenant: { profile: string };
      };
      expect(ready.tenant.profile).toBe("local");
      const profiles = join(dir, "config", "profiles.json");
      expect((await stat(profiles)).mode & 0o777).toBe(0o600);
      const { profiles: saved } = JSON.parse(await readFile(profiles, "utf8"));
      const res = await fetch(`${ready.url}/v1/integrations`, {
        headers: { authorization: `Bearer ${saved.local.key}` },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ items: [] });
      // The CLI now drives it through the saved profile: deploy, then the deployed DLQ.
      const cli = (args: string[]) =>
        runCli(args, { cwd: dir, env: { VRSKY_CONFIG_DIR: join(dir, "config") } });
      const inbox = join(dir, "inbox");
      await mkdir(inbox);
      await writeFile(
        join(dir, "failing.yaml"),
        [
          "name: failing",
          "source:",
          "  connector: file-in",
          `  config: { directory: ${inbox}, patterns: ['*.json'], pollIntervalMs: 100, stableForMs: 50, afterRead: delete }`,
          "sinks:",
          "  api:",
          "    connector: http-out",
          "    config: { url: 'http://127.0.0.1:9/orders' }",
          "settings:",
          "  retry: { attempts: 1 }",
          "",
        ].join("\n"),
      );
      const deployed = await cli(["deploy", "failing.yaml", "--yes", "--json", "--timeout", "60s"]);
      expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
      for (let i = 0; i < 2; i++) await writeFile(join(inbox, `${i}.json`), JSON.stringify({ i }));
      await expect
        .poll(
          async () =>
            JSON.parse((await cli(["dlq", "list", "--deployed", "failing", "--json"])).stdout).total,
          {
            timeout: 30_000,
            interval: 300,
          },
        )
        .toBe(2);
      const listed = JSON.parse((await cli(["dlq", "list", "--deployed", "failing", "--json"])).stdout);
      const shown = await cli([
        "dlq",
        "show",
        String(listed.entries[0].seq),
        "--deployed",
        "failing",
        "--json",
      ]);
      expect(JSON.parse(JSON.parse(shown.stdout).body)).toHaveProperty("i");
      const purged = await cli(["dlq", "purge", "--deployed", "failing", "--all", "--json"]);
      expect(JSON.parse(purged.stdout)).toEqual({ purged: 2 });
    } finally {
      up.kill("SIGINT");
    }
    expect(await exited, stderr).toBe(0);
  }, 90_000);

  it("refuses a short admin token and says how to make one", async () => {
    const run = await runCli(["platform", "up", "--admin-token", "short"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/at least 16 characters.*openssl rand -hex 32/);
  });
});
