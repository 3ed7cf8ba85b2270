import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningPlatform } from "../src/index.js";
import { type E2EPlatform, fileInSpec, startE2EPlatform } from "./e2e-platform.js";

const wait = { timeout: 60_000, interval: 200 };

/** An HTTP endpoint that answers 503 while down, 400 to a poison order, else 200 and records it. */
class OrderApi {
  up = false;
  readonly attempted = new Set<number>();
  readonly received = new Set<number>();
  readonly #server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const order = JSON.parse(body) as { n: number; poison?: boolean };
      this.attempted.add(order.n);
      if (order.poison) res.writeHead(400).end("poison order");
      else if (!this.up) res.writeHead(503).end("down for maintenance");
      else {
        this.received.add(order.n);
        res.writeHead(200).end("{}");
      }
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/orders`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

describe("a tenant that grows over the dedicated-server threshold", { timeout: 180_000 }, () => {
  let e2e: E2EPlatform;
  let platform: RunningPlatform;
  let dataDir: string;
  let call: E2EPlatform["call"];
  const api = new OrderApi();

  beforeAll(async () => {
    e2e = await startE2EPlatform({ sweepIntervalMs: 300, dedicatedThreshold: 1 });
    ({ platform, dataDir, call } = e2e);
  });
  afterAll(async () => {
    await e2e?.stop();
    await api.stop();
  });

  /** Runs `check`; when it fails, the integration's log (without retries) is added to the error. */
  async function withLogs(key: string, name: string, check: () => Promise<unknown>): Promise<void> {
    try {
      await check();
    } catch (error) {
      const { items } = (await call(key, "GET", `/v1/integrations/${name}/logs?limit=500`)).json;
      const lines = (items as { at: string; message: string; fields: unknown }[])
        .filter((l) => l.message !== "retrying")
        .map((l) => `${l.at} ${l.message} ${JSON.stringify(l.fields)}`);
      (error as Error).message += `\nlog of ${name}:\n${lines.join("\n")}`;
      throw error;
    }
  }

  /** The tenant's NATS account as the provisioner recorded it. */
  async function account(tenantId: string): Promise<{ placement: string; serverUrl: string } | undefined> {
    const file = JSON.parse(await readFile(join(dataDir, "nats", "tenants.json"), "utf8"));
    return file.tenants?.[tenantId];
  }

  it("is moved to its own nats-server with its backlog and dead letters, and goes on delivering", async () => {
    const url = await api.start();
    const { id: tenantId, key } = await e2e.tenant("grower", ["integrations:read", "integrations:write"]);
    const inbox = join(dataDir, "grower", "in");
    const audit = join(dataDir, "grower", "audit");
    await mkdir(inbox, { recursive: true });
    await mkdir(audit, { recursive: true });
    const orders = fileInSpec("orders", inbox, [
      "sinks:",
      "  api:",
      "    connector: http-out",
      `    config: { url: '${url}' }`,
      "settings:",
      "  retry: { attempts: 200, backoff: { initial: 200, max: 400 } }",
    ]);
    expect((await call(key, "PUT", "/v1/integrations/orders", { spec: orders })).status).toBe(201);
    await expect
      .poll(async () => (await call(key, "GET", "/v1/integrations/orders")).json.status?.state, wait)
      .toBe("running");
    expect(await account(tenantId)).toMatchObject({ placement: "shared" });

    // The order API is down: 20 orders wait in JetStream for retries; a poison order is dead-lettered.
    for (let n = 0; n < 20; n++) await writeFile(join(inbox, `${n}.json`), JSON.stringify({ n }));
    await writeFile(join(inbox, "poison.json"), JSON.stringify({ n: 999, poison: true }));
    await expect.poll(() => api.attempted.size, wait).toBe(21);
    await expect
      .poll(async () => (await call(key, "GET", "/v1/integrations/orders/dlq")).json.total, wait)
      .toBe(1);
    const before = platform.orchestrator.workers().find((w) => w.tenantId === tenantId)?.pid;

    // A second integration takes the tenant over the threshold of 1: it moves.
    const second = fileInSpec("audit", audit, [
      "sinks:",
      "  log:",
      "    connector: file-out",
      `    config: { directory: ${join(audit, "out")} }`,
    ]);
    expect((await call(key, "PUT", "/v1/integrations/audit", { spec: second })).status).toBe(201);
    await expect.poll(async () => (await account(tenantId))?.placement, wait).toBe("dedicated");
    const moved = await account(tenantId);
    expect(moved?.serverUrl).not.toBe(platform.services.nats.split(" ")[0]);
    await expect
      .poll(async () => (await call(key, "GET", "/v1/integrations/orders")).json.status?.state, wait)
      .toBe("running");
    expect(platform.orchestrator.workers().find((w) => w.tenantId === tenantId)?.pid).not.toBe(before);

    // The API comes back: every order queued before the move arrives, and the dead letter moved too.
    api.up = true;
    await withLogs(key, "orders", () => expect.poll(() => api.received.size, wait).toBe(20));
    const dlq = (await call(key, "GET", "/v1/integrations/orders/dlq")).json;
    expect(dlq.total).toBe(1);
    expect(dlq.items[0].failure).toMatchObject({ stage: "sink", step: "api" });
    // New orders flow on the dedicated server.
    for (let n = 20; n < 25; n++) await writeFile(join(inbox, `${n}.json`), JSON.stringify({ n }));
    await withLogs(key, "orders", () => expect.poll(() => api.received.size, wait).toBe(25));
    expect([...api.received].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, n) => n));

    // With no integrations left, it returns to the shared server.
    expect((await call(key, "DELETE", "/v1/integrations/audit")).status).toBe(204);
    expect((await call(key, "DELETE", "/v1/integrations/orders")).status).toBe(204);
    await expect.poll(async () => (await account(tenantId))?.placement, wait).toBe("shared");
  });
});
