import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bearer } from "@vrsky/platform-api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliPlatform, startCliPlatform, type TenantCli } from "../../test/platform-cli.js";
import { type CliRun, parseJson, runCli } from "../../test/run-cli.js";
import type { Failure } from "../failure.js";
import type { DeployResult } from "./deploy.js";

/** A file-in → file-out spec; `fileName` is what the edits change. */
const spec = (
  work: string,
  fileName = "archive.ndjson",
  extra = "",
): string => `# Orders dropped as JSON files, archived as NDJSON.
name: orders
source:
  connector: file-in
  config:
    directory: ${join(work, "in")}
    patterns: ["*.json"]
sinks:
  archive:
    connector: file-out
    config:
      directory: ${join(work, "out")}
      fileName: ${fileName}
      mode: append
      format: ndjson
${extra}`;

describe("vrsky deploy", () => {
  let env: CliPlatform;
  let a: TenantCli;
  let work = "";
  let file = "";
  const write = async (text: string, name = "orders.yaml"): Promise<string> => {
    const path = join(work, name);
    await writeFile(path, text);
    return path;
  };
  /** What the platform holds for tenant A, read through the API. */
  const api = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await env.platform.api.inject({ method: "GET", url: path, headers: bearer(a.key) });
    return { status: response.statusCode, body: response.json() };
  };
  /** Writes the status an orchestrator would report for tenant A's orders. */
  const report = async (state: string, version: number, error: string | null = null): Promise<void> => {
    const id = await env.integrationId(a.tenantId, "orders");
    await env.db.query(
      `insert into integration_status (integration_id, state, version, worker, error)
       values ($1, $2, $3, 'worker-1', $4)
       on conflict (integration_id) do update set state = $2, version = $3, error = $4, updated_at = now()`,
      [id, state, version, error],
    );
  };
  const deploy = (args: string[]): Promise<CliRun> => a.run(["deploy", ...args]);

  beforeAll(async () => {
    env = await startCliPlatform({
      plans: {
        free: { maxIntegrations: 10, maxMessagesPerDay: 1_000_000 },
        full: { maxIntegrations: 0, maxMessagesPerDay: 0 },
      },
    });
    a = await env.tenant("a");
    work = await mkdtemp(join(tmpdir(), "vrsky-deploy-"));
    file = await write(spec(work));
  });
  afterAll(async () => {
    await env?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it("deploys a new spec as v1, saying it is new, and returns at once with --no-wait", async () => {
    const run = await deploy([file, "--no-wait"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("orders is a new integration");
    expect(run.stdout).toContain(`✓ orders v1 deployed to ${env.url}`);
    expect(run.stdout).toContain("not waiting (--no-wait): `vrsky integrations status orders`");
    expect((await api("/v1/integrations/orders")).body).toMatchObject({
      currentVersion: 1,
      desiredState: "running",
    });
  });

  it("makes no new version for an unchanged spec", async () => {
    const json = await deploy([file, "--no-wait", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(parseJson<DeployResult>(json)).toEqual({
      name: "orders",
      version: 1,
      previousVersion: 1,
      created: false,
      changed: false,
      file,
      url: env.url,
      diff: [],
      state: null,
      waited: false,
    });
    const human = await deploy([file, "--no-wait"]);
    expect(human.stdout).toContain("no changes from v1");
    expect(human.stdout).toContain("orders unchanged, still v1");
    expect((await api("/v1/integrations/orders")).body.versions).toHaveLength(1);
  });

  it("deploys an edited spec as v2, shows the changed line in a unified diff and waits until v2 runs", async () => {
    await write(spec(work, "orders-{{ $date }}.ndjson"));
    // What an orchestrator would report once it ran v2.
    await report("running", 2);
    const run = await deploy([file, "--timeout", "10s"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`--- orders v1 (deployed)\n+++ ${file}\n@@ -10,6 +10,6 @@`);
    expect(run.stdout).toContain(
      "-      fileName: archive.ndjson\n+      fileName: orders-{{ $date }}.ndjson",
    );
    expect(run.stdout).toContain("✓ orders v2 deployed");
    expect(run.stdout).toContain("✓ orders v2 running on worker worker-1");
    const v2 = await api("/v1/integrations/orders/versions/2");
    expect(v2.body.spec).toContain("fileName: orders-{{ $date }}.ndjson");
  });

  it("fails with exit 1 and the orchestrator's error when the new version fails to start", async () => {
    await write(spec(work, "failing.ndjson"));
    await report("failed", 3, "EACCES: permission denied, open '/out/failing.ndjson'");
    const run = await deploy([file, "--json"]);
    expect(run.code).toBe(1);
    expect(parseJson<{ error: Failure }>(run).error).toMatchObject({
      code: "FAILED",
      message: "orders v3 failed to start: EACCES: permission denied, open '/out/failing.ndjson'",
      suggestions: [
        "`vrsky integrations logs orders` shows its log",
        "`vrsky integrations rollback orders` goes back to v2",
      ],
    });
  });

  it("gives up after --timeout when the version is not reported running, naming the status command", async () => {
    await write(spec(work, "slow.ndjson"));
    const run = await deploy([file, "--timeout", "1s"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✓ orders v4 deployed");
    expect(run.stderr).toContain(
      "Error [FAILED] orders v4 is still starting after 1s (failed v3: EACCES: permission denied, open '/out/failing.ndjson'); check `vrsky integrations status orders`",
    );
    expect((await api("/v1/integrations/orders")).body.currentVersion).toBe(4);
  });

  it("refuses a locally invalid spec with each problem's line, before any login or call", async () => {
    const broken = await write(
      spec(work).replace("name: orders", "name: broken").replace("  archive:", "  Archive!:"),
      "broken.yaml",
    );
    const notLoggedIn = await mkdtemp(join(tmpdir(), "vrsky-deploy-nologin-"));
    try {
      const run = await runCli(["deploy", broken, "--json"], {
        env: { VRSKY_CONFIG_DIR: notLoggedIn, VRSKY_API_URL: "", VRSKY_API_KEY: "", VRSKY_PROFILE: "" },
      });
      expect(run.code).toBe(2);
      const { error } = parseJson<{ error: Failure }>(run);
      expect(error).toMatchObject({
        code: "CONFIG_INVALID",
        message: `${broken} is not a valid integration spec (1 problem); nothing was deployed`,
      });
      expect(error.issues).toEqual([
        { path: 'sinks["Archive!"]', line: 9, message: expect.stringContaining("kebab-case") },
      ]);
      const human = await deploy([broken]);
      expect(human.stderr).toMatch(/✗ sinks\["Archive!"\] \(line 9\): .*kebab-case/);
    } finally {
      await rm(notLoggedIn, { recursive: true, force: true });
    }
    expect((await api("/v1/integrations/broken")).status).toBe(404);
  });

  it("lists every problem the platform finds in the connector configs (INVALID_SPEC), deploying nothing", async () => {
    const invalid = await write(
      spec(work)
        .replace("name: orders", "name: misconfigured")
        .replace("mode: append", "mode: sometimes")
        .replace('patterns: ["*.json"]', "patterns: []"),
      "misconfigured.yaml",
    );
    const run = await deploy([invalid, "--json"]);
    expect(run.code).toBe(2);
    const { error } = parseJson<{ error: Failure }>(run);
    expect(error).toMatchObject({
      code: "CONFIG_INVALID",
      message: `${env.url} rejected ${invalid} (2 problems); nothing was deployed`,
    });
    expect(error.issues).toEqual([
      expect.objectContaining({ path: "source.config.patterns", line: 7 }),
      expect.objectContaining({ path: "sinks.archive.config.mode", line: 14 }),
    ]);
    const human = await deploy([invalid]);
    expect(human.stderr).toContain(`Error [CONFIG_INVALID] ${env.url} rejected ${invalid} (2 problems)`);
    expect(human.stderr).toMatch(/✗ sinks\.archive\.config\.mode \(line 14\): .*"write"/);
    expect((await api("/v1/integrations/misconfigured")).status).toBe(404);
  });

  it("deploys the same file under another name with --name, rewriting only its name line", async () => {
    const run = await deploy([file, "--name", "orders-staging", "--no-wait", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(parseJson<DeployResult>(run)).toMatchObject({ name: "orders-staging", version: 1, created: true });
    const v1 = await api("/v1/integrations/orders-staging/versions/1");
    expect(v1.body.spec).toBe(spec(work, "slow.ndjson").replace("name: orders", 'name: "orders-staging"'));
  });

  it("reports a tenant over its plan's integrations with QUOTA_EXCEEDED's message and exit 1", async () => {
    const full = await env.tenant("full", { plan: "full" });
    const run = await full.run(["deploy", file, "--no-wait"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'Error [QUOTA_EXCEEDED] cannot create orders: plan "full" allows 0 integrations',
    );
    expect(run.stderr).toContain("`vrsky integrations delete <name>` removes one");
  });

  it("refuses a --timeout that is not a duration", async () => {
    const run = await deploy([file, "--timeout", "soon", "--json"]);
    expect(run.code).toBe(2);
    expect(parseJson<{ error: Failure }>(run).error).toMatchObject({
      code: "INVALID_INPUT",
      message:
        'invalid --timeout "soon": expected a duration such as 15m, 30s or 250ms (units: ms, s, m, h, d)',
    });
  });
});
