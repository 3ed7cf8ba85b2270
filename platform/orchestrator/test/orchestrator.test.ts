import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  bearer,
  createTenantWithKey,
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPlatform,
} from "@vrsky/platform-api/testing";
import { connectorManifest } from "@vrsky/sdk";
import { build } from "esbuild";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Orchestrator } from "../src/index.js";

const wait = { timeout: 30_000, interval: 100 };

interface Tenant {
  tenantId: string;
  key: string;
  inbox: string;
  outbox: string;
}

describe("orchestrator", { timeout: 90_000 }, () => {
  let platform: TestPlatform;
  let orchestrator: Orchestrator;
  let workDir: string;

  beforeAll(async () => {
    platform = await startTestPlatform({
      plans: {
        free: { maxIntegrations: 5, maxMessagesPerDay: 1_000_000 },
        tiny: { maxIntegrations: 5, maxMessagesPerDay: 5 },
      },
    });
    workDir = await mkdtemp(join(tmpdir(), "vrsky-orchestrator-"));
    orchestrator = await Orchestrator.start({
      databaseUrl: platform.databaseUrl,
      bundles: platform.bundles,
      // One NATS account shared by the test tenants, so each gets a name prefix.
      connections: async (tenantId) => ({
        url: "nats://127.0.0.1:4222",
        namespace: `t${tenantId.slice(0, 8)}-`,
      }),
      workDir,
      ackWaitMs: 2000,
      reportMs: 300,
      resyncMs: 1000,
      healthTimeoutMs: 3000,
      plans: {
        free: { maxIntegrations: 5, maxMessagesPerDay: 1_000_000 },
        tiny: { maxIntegrations: 5, maxMessagesPerDay: 5 },
      },
      secrets: platform.secrets,
      logger: pino({ level: "silent" }),
    });
  });
  afterAll(async () => {
    await orchestrator?.stop();
    await platform?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  async function tenant(name: string): Promise<Tenant> {
    const { tenantId, key } = await createTenantWithKey(platform.api, undefined, name);
    const dir = await mkdtemp(join(workDir, `${name}-`));
    const t = { tenantId, key, inbox: join(dir, "in"), outbox: join(dir, "out") };
    await mkdir(t.inbox);
    await mkdir(t.outbox);
    return t;
  }

  function spec(t: Tenant, name: string, steps = ""): string {
    return [
      `name: ${name}`,
      "source:",
      "  connector: file-in",
      `  config: { directory: ${t.inbox}, patterns: ['*.json'], pollIntervalMs: 100, stableForMs: 50, afterRead: delete }`,
      steps,
      "sinks:",
      "  out:",
      "    connector: file-out",
      `    config: { directory: ${t.outbox} }`,
      "",
    ].join("\n");
  }

  async function deploy(t: Tenant, name: string, text: string) {
    const res = await platform.api.inject({
      method: "PUT",
      url: `/v1/integrations/${name}`,
      headers: bearer(t.key),
      payload: { spec: text },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as { version: number };
  }

  async function status(t: Tenant, name: string) {
    const res = await platform.api.inject({
      method: "GET",
      url: `/v1/integrations/${name}`,
      headers: bearer(t.key),
    });
    return res.json().status as {
      state: string;
      error: string | null;
      version: number;
      counters: Record<string, number> | null;
    } | null;
  }

  async function drop(t: Tenant, count: number, from = 0) {
    for (let i = from; i < from + count; i++) {
      await writeFile(join(t.inbox, `m${i}.json`), JSON.stringify({ n: i, text: `hello ${i}` }));
    }
  }

  const delivered = async (t: Tenant) =>
    (await readdir(t.outbox).catch(() => [])).filter((f) => !f.startsWith("."));

  it("runs each tenant's integrations in its own worker process, and each sees only its own messages", async () => {
    const a = await tenant("alpha");
    const b = await tenant("beta");
    await deploy(a, "orders", spec(a, "orders"));
    await deploy(b, "orders", spec(b, "orders"));
    await expect.poll(async () => (await status(a, "orders"))?.state, wait).toBe("running");
    await expect.poll(async () => (await status(b, "orders"))?.state, wait).toBe("running");
    await drop(a, 10);
    await drop(b, 4, 100);
    await expect.poll(async () => (await delivered(a)).length, wait).toBe(10);
    await expect.poll(async () => (await delivered(b)).length, wait).toBe(4);
    const contents = await Promise.all((await delivered(b)).map((f) => readFile(join(b.outbox, f), "utf8")));
    expect(contents.every((c) => JSON.parse(c).n >= 100)).toBe(true);
    const workers = orchestrator
      .workers()
      .filter((w) => w.tenantId === a.tenantId || w.tenantId === b.tenantId);
    expect(workers).toHaveLength(2);
    expect(new Set(workers.map((w) => w.pid)).size).toBe(2);
    await expect.poll(async () => (await status(a, "orders"))?.counters?.delivered, wait).toBe(10);

    // Each tenant reads its own integration's logs, under the name it deployed.
    const logs = async (t: Tenant) => {
      const res = await platform.api.inject({
        method: "GET",
        url: "/v1/integrations/orders/logs",
        headers: bearer(t.key),
      });
      return (res.json().items as { message: string; fields: Record<string, unknown> }[]) ?? [];
    };
    await expect
      .poll(async () => (await logs(a)).map((l) => l.message), wait)
      .toContain("lease acquired; starting source");
    const lines = await logs(a);
    expect(JSON.stringify(lines)).not.toContain(b.tenantId);
    const after = lines.at(-1) as unknown as { id: number };
    const follow = await platform.api.inject({
      method: "GET",
      url: `/v1/integrations/orders/logs?after=${after.id}`,
      headers: bearer(a.key),
    });
    expect(follow.json().items).toEqual([]);
  });

  it("stops, starts and redeploys: the worker follows the control plane", async () => {
    const c = await tenant("gamma");
    await deploy(c, "flow", spec(c, "flow"));
    await expect.poll(async () => (await status(c, "flow"))?.state, wait).toBe("running");
    const pid = orchestrator.workers().find((w) => w.tenantId === c.tenantId)?.pid;
    expect(pid).toBeDefined();
    await platform.api.inject({ method: "POST", url: "/v1/integrations/flow/stop", headers: bearer(c.key) });
    await expect.poll(async () => (await status(c, "flow"))?.state, wait).toBe("stopped");
    expect(orchestrator.workers().some((w) => w.tenantId === c.tenantId)).toBe(false);
    await drop(c, 3);
    await platform.api.inject({ method: "POST", url: "/v1/integrations/flow/start", headers: bearer(c.key) });
    await expect.poll(async () => (await delivered(c)).length, wait).toBe(3);
    const v2 = await deploy(c, "flow", spec(c, "flow").replace("pollIntervalMs: 100", "pollIntervalMs: 150"));
    await expect.poll(async () => (await status(c, "flow"))?.version, wait).toBe(v2.version);
    expect((await status(c, "flow"))?.state).toBe("running");
  });

  it("loads a registry connector by its pinned sha256 and refuses a bundle that changed in the store", async () => {
    const d = await tenant("delta");
    const fixture = fileURLToPath(new URL("./__fixtures__/shout.ts", import.meta.url));
    const out = await build({
      entryPoints: [fixture],
      bundle: true,
      format: "esm",
      platform: "node",
      write: false,
      conditions: ["@vrsky/source"],
    });
    const bundle = out.outputFiles[0]?.contents as Uint8Array;
    const connector = (await import("./__fixtures__/shout.js")).default;
    const published = await platform.api.inject({
      method: "POST",
      url: "/v1/connectors",
      headers: bearer(d.key),
      payload: {
        manifest: connectorManifest(connector),
        bundle: Buffer.from(bundle).toString("base64"),
        visibility: "private",
      },
    });
    expect(published.statusCode, published.body).toBe(201);
    const steps =
      "steps:\n  - name: shout\n    connector: registry:acme-shout@1\n    config: { suffix: '!!' }";
    await deploy(d, "shouting", spec(d, "shouting", steps));
    await drop(d, 2);
    await expect.poll(async () => (await delivered(d)).length, wait).toBe(2);
    const texts = await Promise.all(
      (await delivered(d)).map(async (f) => JSON.parse(await readFile(join(d.outbox, f), "utf8")).text),
    );
    expect(texts.sort()).toEqual(["HELLO 0!!", "HELLO 1!!"]);

    // Someone swaps the stored bundle: a new deploy pinned to the old hash must refuse it.
    await platform.bundles.put(
      `${d.tenantId}/acme-shout/1.0.0.bundle`,
      new TextEncoder().encode("export default {}"),
    );
    await rm(join(workDir, "bundles"), { recursive: true, force: true });
    const v = await deploy(
      d,
      "shouting",
      spec(d, "shouting", steps).replace("pollIntervalMs: 100", "pollIntervalMs: 120"),
    );
    await expect.poll(async () => (await status(d, "shouting"))?.state, wait).toBe("failed");
    const failed = await status(d, "shouting");
    expect(failed?.version).toBe(v.version);
    expect(failed?.error).toMatch(/sha256 .* was pinned at deploy; refusing it/);
  });

  it("restarts a killed worker and still delivers every message", async () => {
    const e = await tenant("epsilon");
    await deploy(e, "steady", spec(e, "steady"));
    await expect.poll(async () => (await status(e, "steady"))?.state, wait).toBe("running");
    await drop(e, 100);
    await expect.poll(async () => (await delivered(e)).length, wait).toBeGreaterThan(5);
    const before = orchestrator.workers().find((w) => w.tenantId === e.tenantId);
    process.kill(before?.pid as number, "SIGKILL");
    await drop(e, 100, 100);
    await expect.poll(async () => (await delivered(e)).length, { ...wait, timeout: 60_000 }).toBe(200);
    const after = orchestrator.workers().find((w) => w.tenantId === e.tenantId);
    expect(after?.restarts).toBe(1);
    expect(after?.pid).not.toBe(before?.pid);
  }, 90_000);

  it("kills and restarts a worker that stops answering, and its integration runs again", async () => {
    const h = await tenant("eta");
    await deploy(h, "hung", spec(h, "hung"));
    await expect.poll(async () => (await status(h, "hung"))?.state, wait).toBe("running");
    const before = orchestrator.workers().find((w) => w.tenantId === h.tenantId);
    // A stopped process is alive but silent, like one whose event loop is blocked.
    process.kill(before?.pid as number, "SIGSTOP");
    await expect
      .poll(() => orchestrator.workers().find((w) => w.tenantId === h.tenantId)?.restarts, wait)
      .toBe(1);
    await expect.poll(async () => (await status(h, "hung"))?.state, wait).toBe("running");
    await drop(h, 3);
    await expect.poll(async () => (await delivered(h)).length, wait).toBe(3);
  });

  it("moves a tenant: drains its worker, runs the move with nothing connected, starts a new worker", async () => {
    const m = await tenant("mu");
    await deploy(m, "moving", spec(m, "moving"));
    await expect.poll(async () => (await status(m, "moving"))?.state, wait).toBe("running");
    const before = orchestrator.workers().find((w) => w.tenantId === m.tenantId);
    const seen: { workers: number; state: string | undefined; dlq: string }[] = [];
    const result = await orchestrator.moveTenant(
      m.tenantId,
      "moving to a dedicated NATS server",
      async () => {
        const dlq = await orchestrator.deadLetters(m.tenantId, "moving", { op: "list" }).then(
          () => "answered",
          (error: Error) => error.message,
        );
        seen.push({
          workers: orchestrator.workers().filter((w) => w.tenantId === m.tenantId).length,
          state: (await status(m, "moving"))?.state,
          dlq,
        });
        return "moved";
      },
    );
    expect(result).toBe("moved");
    expect(seen).toEqual([
      {
        workers: 0,
        state: "restarting",
        dlq: expect.stringMatching(/moving to other NATS servers; try again/),
      },
    ]);
    const after = orchestrator.workers().find((w) => w.tenantId === m.tenantId);
    expect(after?.pid).not.toBe(before?.pid);
    expect(after?.integrations).toEqual({ moving: 1 });
    await drop(m, 3);
    await expect.poll(async () => (await delivered(m)).length, wait).toBe(3);
    await expect.poll(async () => (await status(m, "moving"))?.state, wait).toBe("running");

    // A move that fails leaves the tenant running where it was, and says why.
    await expect(
      orchestrator.moveTenant(m.tenantId, "moving", async () => {
        throw new Error("the target server is full");
      }),
    ).rejects.toThrow("the target server is full");
    expect(orchestrator.workers().find((w) => w.tenantId === m.tenantId)?.integrations).toEqual({
      moving: 1,
    });
    await drop(m, 2, 3);
    await expect.poll(async () => (await delivered(m)).length, wait).toBe(5);
  });

  it("gives an integration the tenant secrets it refers to, and restarts it when one changes", async () => {
    const s = await tenant("sigma");
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      req.resume();
      req.on("end", () => res.writeHead(200).end("{}"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const setSecret = (value: string) =>
        platform.api.inject({
          method: "PUT",
          url: "/v1/secrets/hook-token",
          headers: bearer(s.key),
          payload: { value },
        });
      expect((await setSecret("Bearer first-value")).statusCode).toBe(201);
      const text = spec(s, "hooked").replace(
        /sinks:[\s\S]*$/,
        [
          "sinks:",
          "  hook:",
          "    connector: http-out",
          `    config: { url: '${url}', secretHeaders: { authorization: { $secret: hook-token } } }`,
          "",
        ].join("\n"),
      );
      await deploy(s, "hooked", text);
      await expect.poll(async () => (await status(s, "hooked"))?.state, wait).toBe("running");
      await drop(s, 2);
      await expect.poll(() => seen.length, wait).toBe(2);
      expect(seen).toEqual(["Bearer first-value", "Bearer first-value"]);

      const replaced = await setSecret("Bearer second-value");
      expect(replaced.json()).toMatchObject({ created: false, restarting: ["hooked"] });
      // The worker restarts the integration with the new value (same version).
      await expect
        .poll(async () => {
          await drop(s, 1, 100 + seen.length);
          return seen.at(-1);
        }, wait)
        .toBe("Bearer second-value");
      expect((await status(s, "hooked"))?.version).toBe(1);
      const logs = await platform.api.inject({
        method: "GET",
        url: "/v1/integrations/hooked/logs?limit=500",
        headers: bearer(s.key),
      });
      expect(logs.body).not.toContain("first-value");
      expect(logs.body).not.toContain("second-value");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("pauses a tenant's sources once its plan's daily message quota is used up", async () => {
    const f = await tenant("zeta");
    const patched = await platform.api.inject({
      method: "PATCH",
      url: `/v1/tenants/${f.tenantId}`,
      headers: bearer(TEST_ADMIN_TOKEN),
      payload: { plan: "tiny" },
    });
    expect(patched.statusCode).toBe(200);
    await deploy(f, "metered", spec(f, "metered"));
    await expect.poll(async () => (await status(f, "metered"))?.state, wait).toBe("running");
    await drop(f, 6);
    await expect.poll(async () => (await delivered(f)).length, wait).toBe(6);
    await expect
      .poll(async () => (await status(f, "metered"))?.error ?? "", wait)
      .toMatch(/daily message quota of plan "tiny" reached \(\d+ of 5\)/);
    // Paused: new files wait in the inbox.
    await drop(f, 10, 6);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await delivered(f)).length).toBe(6);
    expect((await readdir(f.inbox)).length).toBe(10);

    // A worker that crashes comes back paused: the quota still holds.
    const before = orchestrator.workers().find((w) => w.tenantId === f.tenantId);
    process.kill(before?.pid as number, "SIGKILL");
    await expect
      .poll(() => orchestrator.workers().find((w) => w.tenantId === f.tenantId)?.restarts, wait)
      .toBe(1);
    await expect
      .poll(async () => (await status(f, "metered"))?.error ?? "", wait)
      .toMatch(/daily message quota of plan "tiny" reached/);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await delivered(f)).length).toBe(6);
    expect((await readdir(f.inbox)).length).toBe(10);
  });
});
