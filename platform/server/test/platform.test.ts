import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectorManifest } from "@vrsky/sdk";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningPlatform } from "../src/index.js";
import { type E2EPlatform, fileInSpec, startE2EPlatform } from "./e2e-platform.js";

const wait = { timeout: 30_000, interval: 200 };

describe("the platform on one machine", { timeout: 120_000 }, () => {
  let e2e: E2EPlatform;
  let platform: RunningPlatform;
  let dataDir: string;
  let call: E2EPlatform["call"];

  beforeAll(async () => {
    // NATS and Postgres from the machine; no S3 URL, so a local S3 server is started.
    e2e = await startE2EPlatform({ env: { VRSKY_NATS_URL: "nats://127.0.0.1:4222" }, sweepIntervalMs: 500 });
    ({ platform, dataDir, call } = e2e);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it("runs three tenants at once: each publishes its connector, deploys, and sees only its own messages", async () => {
    const fixture = fileURLToPath(new URL("./__fixtures__/tag.ts", import.meta.url));
    const bundled = await build({
      entryPoints: [fixture],
      bundle: true,
      format: "esm",
      platform: "node",
      write: false,
      conditions: ["@vrsky/source"],
    });
    const bundle = Buffer.from(bundled.outputFiles[0]?.contents as Uint8Array).toString("base64");
    const manifest = connectorManifest((await import("./__fixtures__/tag.js")).default);

    const tenants = await Promise.all(
      ["north", "south", "east"].map(async (name) => {
        const { id, key } = await e2e.tenant(name, [
          "registry:read",
          "registry:write",
          "integrations:read",
          "integrations:write",
        ]);
        const dir = join(dataDir, name);
        await mkdir(join(dir, "in"), { recursive: true });
        await mkdir(join(dir, "out"), { recursive: true });
        return { name, id, key, dir };
      }),
    );
    for (const t of tenants) {
      // Each tenant publishes its own private connector under the same name.
      const published = await call(t.key, "POST", "/v1/connectors", {
        manifest,
        bundle,
        visibility: "private",
      });
      expect(published.status, JSON.stringify(published.json)).toBe(201);
      const spec = fileInSpec("inbox", join(t.dir, "in"), [
        "steps:",
        "  - name: tag",
        "    connector: registry:tenant-tag",
        `    config: { tag: ${t.name} }`,
        "sinks:",
        "  out:",
        "    connector: file-out",
        `    config: { directory: ${join(t.dir, "out")} }`,
      ]);
      const deployed = await call(t.key, "PUT", "/v1/integrations/inbox", { spec });
      expect(deployed.status, JSON.stringify(deployed.json)).toBe(201);
    }
    for (const t of tenants) {
      await expect
        .poll(async () => (await call(t.key, "GET", "/v1/integrations/inbox")).json.status?.state, wait)
        .toBe("running");
    }
    // Messages flow in all three at once.
    await Promise.all(
      tenants.map(async (t) => {
        for (let i = 0; i < 25; i++)
          await writeFile(join(t.dir, "in", `${i}.json`), JSON.stringify({ i, from: t.name }));
      }),
    );
    for (const t of tenants) {
      const out = join(t.dir, "out");
      await expect
        .poll(async () => (await readdir(out)).filter((f) => !f.startsWith(".")).length, wait)
        .toBe(25);
      const bodies = await Promise.all(
        (await readdir(out))
          .filter((f) => !f.startsWith("."))
          .map(async (f) => JSON.parse(await readFile(join(out, f), "utf8"))),
      );
      expect(bodies.every((b) => b.from === t.name && b.tag === t.name)).toBe(true);
      const listed = await call(t.key, "GET", "/v1/integrations");
      expect(listed.json.items.map((i: { name: string }) => i.name)).toEqual(["inbox"]);
    }
    // One worker process per tenant, each on its own NATS account.
    const workers = platform.orchestrator.workers();
    expect(new Set(workers.map((w) => w.tenantId))).toEqual(new Set(tenants.map((t) => t.id)));
    expect(new Set(workers.map((w) => w.pid)).size).toBe(3);
    expect(platform.services.nats).toMatch(/operator mode/);
    const accounts = async () =>
      Object.keys(JSON.parse(await readFile(join(dataDir, "nats", "tenants.json"), "utf8")).tenants ?? {});
    await expect.poll(accounts, wait).toEqual(expect.arrayContaining(tenants.map((t) => t.id)));

    // Deleting a tenant stops its worker and removes its NATS account; the others run on.
    const east = tenants[2] as (typeof tenants)[number];
    expect((await call(platform.adminToken, "DELETE", `/v1/tenants/${east.id}`)).status).toBe(204);
    await expect
      .poll(async () => platform.orchestrator.workers().map((w) => w.tenantId), wait)
      .not.toContain(east.id);
    await expect.poll(accounts, wait).not.toContain(east.id);
    const north = tenants[0] as (typeof tenants)[number];
    await writeFile(join(north.dir, "in", "late.json"), JSON.stringify({ i: 99, from: "north" }));
    await expect
      .poll(
        async () => (await readdir(join(north.dir, "out"))).filter((f) => !f.startsWith(".")).length,
        wait,
      )
      .toBe(26);
  });

  it("lists, replays and purges a deployed integration's dead letters through the API", async () => {
    const { key } = await e2e.tenant("west", ["integrations:read", "integrations:write"]);
    const inbox = join(dataDir, "west", "in");
    await mkdir(inbox, { recursive: true });
    // Nothing listens on port 9: every delivery fails and, with one attempt, is dead-lettered.
    const spec = fileInSpec("failing", inbox, [
      "sinks:",
      "  api:",
      "    connector: http-out",
      "    config: { url: 'http://127.0.0.1:9/orders' }",
      "settings:",
      "  retry: { attempts: 1 }",
    ]);
    expect((await call(key, "PUT", "/v1/integrations/failing", { spec })).status).toBe(201);
    await expect
      .poll(async () => (await call(key, "GET", "/v1/integrations/failing")).json.status?.state, wait)
      .toBe("running");
    for (let i = 0; i < 3; i++) await writeFile(join(inbox, `${i}.json`), JSON.stringify({ i }));
    await expect
      .poll(async () => (await call(key, "GET", "/v1/integrations/failing/dlq")).json.total, wait)
      .toBe(3);
    const listed = (await call(key, "GET", "/v1/integrations/failing/dlq")).json;
    expect(listed.items[0].failure).toMatchObject({ stage: "sink", step: "api" });
    const shown = await call(key, "GET", `/v1/integrations/failing/dlq/${listed.items[0].seq}`);
    expect(shown.json).toMatchObject({ seq: listed.items[0].seq, bodyEncoding: "utf8" });
    expect(JSON.parse(shown.json.body)).toHaveProperty("i");
    expect((await call(key, "GET", "/v1/integrations/failing/dlq/999999")).status).toBe(404);
    const replayed = await call(key, "POST", "/v1/integrations/failing/dlq/replay", {
      seqs: [listed.items[0].seq],
    });
    expect(replayed.json).toEqual({ replayed: 1 });
    // Still failing: it comes back, as a new dead letter.
    await expect
      .poll(
        async () =>
          (await call(key, "GET", "/v1/integrations/failing/dlq")).json.items.map(
            (e: { seq: number }) => e.seq,
          ),
        wait,
      )
      .not.toContain(listed.items[0].seq);
    await expect
      .poll(async () => (await call(key, "GET", "/v1/integrations/failing/dlq")).json.total, wait)
      .toBe(3);
    expect((await call(key, "POST", "/v1/integrations/failing/dlq/replay", {})).status).toBe(400);
    expect((await call(key, "POST", "/v1/integrations/failing/dlq/purge", { all: true })).json).toEqual({
      purged: 3,
    });
    expect((await call(key, "GET", "/v1/integrations/failing/dlq")).json.total).toBe(0);
    await call(key, "POST", "/v1/integrations/failing/stop");
    await expect
      .poll(async () => (await call(key, "GET", "/v1/integrations/failing/dlq")).json.code, wait)
      .toBe("NOT_RUNNING");
  });
});
