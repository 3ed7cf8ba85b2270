import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { startNatsServer } from "@vrsky/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IntegrationRunner, startIntegration } from "../src/index.js";
import { countingSource, fileAppendSink } from "./__fixtures__/test-connectors.js";
import { cleanup, connectNats, integration, testLogger, uniqueName } from "./harness.js";

let nc: NatsConnection;
const names: string[] = [];
const runners: IntegrationRunner[] = [];
const dir = mkdtempSync(join(tmpdir(), "vrsky-fault-"));

beforeAll(async () => {
  nc = await connectNats();
});
afterAll(async () => {
  await cleanup(nc, names, runners);
  await nc.close();
  rmSync(dir, { recursive: true, force: true });
});

function lines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];
}

function startWorker(name: string, path: string, count: number, delayMs = 5): Promise<ChildProcess> {
  const worker = join(import.meta.dirname, "__fixtures__/worker.ts");
  const args = [name, path, String(count), String(delayMs)];
  const child = spawn(process.execPath, ["--conditions=@vrsky/source", "--import", "tsx", worker, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`worker exited early with ${code}`)));
    child.stdout?.once("data", () => resolve(child));
  });
}

describe("fault tolerance", () => {
  it("loses nothing when a worker is killed with SIGKILL mid-run", async () => {
    const name = uniqueName("kill");
    names.push(name);
    const path = join(dir, `${name}.log`);
    const count = 400;
    const child = await startWorker(name, path, count);
    await expect.poll(() => lines(path).length, { timeout: 20_000, interval: 20 }).toBeGreaterThan(50);
    child.kill("SIGKILL");
    const deliveredBeforeKill = lines(path).length;
    expect(deliveredBeforeKill).toBeLessThan(count);

    const survivor = await startIntegration(
      integration(name, {
        source: { connector: countingSource, config: { count, channel: name } },
        sinks: { out: { connector: fileAppendSink, config: { path } } },
      }),
      { nc, logger: testLogger, ackWaitMs: 1500, leaseTtlMs: 1000 },
    );
    runners.push(survivor);
    const expected = Array.from({ length: count }, (_, i) => `n-${i + 1}`);
    await expect.poll(() => new Set(lines(path)).size, { timeout: 30_000, interval: 100 }).toBe(count);
    expect(new Set(lines(path))).toEqual(new Set(expected));
    expect(await survivor.dlq.count()).toBe(0);
  });
});

describe("graceful drain", () => {
  it("finishes in-flight work on SIGTERM, exits 0, and a later worker delivers the rest exactly", async () => {
    const name = uniqueName("drain");
    names.push(name);
    const path = join(dir, `${name}.log`);
    const count = 200;
    const child = await startWorker(name, path, count, 20);
    await expect.poll(() => lines(path).length, { timeout: 20_000, interval: 20 }).toBeGreaterThan(20);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const afterDrain = lines(path);
    // Nothing the drained worker acknowledged is delivered again by the next one.
    const survivor = await startIntegration(
      integration(name, {
        source: { connector: countingSource, config: { count, channel: name } },
        sinks: { out: { connector: fileAppendSink, config: { path } } },
      }),
      { nc, logger: testLogger, ackWaitMs: 1500, leaseTtlMs: 1000 },
    );
    runners.push(survivor);
    await expect.poll(() => new Set(lines(path)).size, { timeout: 30_000, interval: 100 }).toBe(count);
    const all = lines(path);
    expect(all).toHaveLength(count);
    expect(new Set(all)).toEqual(new Set(Array.from({ length: count }, (_, i) => `n-${i + 1}`)));
    expect(afterDrain.length).toBeLessThan(count);
  });
});

describe("NATS outages", () => {
  it("delivers every message when nats-server restarts mid-run", async () => {
    const storeDir = mkdtempSync(join(dir, "nats-"));
    let server = await startNatsServer({ storeDir });
    const port = server.port;
    const local = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
    const name = uniqueName("restart");
    const path = join(dir, `${name}.log`);
    const count = 300;
    const runner = await startIntegration(
      integration(name, {
        source: { connector: countingSource, config: { count, channel: name } },
        sinks: { out: { connector: fileAppendSink, config: { path, delayMs: 5 } } },
      }),
      { nc: local, logger: testLogger, ackWaitMs: 1500, leaseTtlMs: 1000 },
    );
    try {
      await expect.poll(() => lines(path).length, { timeout: 20_000, interval: 20 }).toBeGreaterThan(30);
      await server.stop();
      server = await startNatsServer({ storeDir, port });
      await expect.poll(() => new Set(lines(path)).size, { timeout: 45_000, interval: 100 }).toBe(count);
      expect(new Set(lines(path))).toEqual(new Set(Array.from({ length: count }, (_, i) => `n-${i + 1}`)));
      expect(await runner.dlq.count()).toBe(0);
    } finally {
      await runner.stop();
      await local.close();
      await server.stop();
    }
  });
});
