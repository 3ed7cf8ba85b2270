// The platform benchmark: `npm run bench:platform` from the repository root (it builds first:
// workers run from the built JavaScript, as in production).
// Starts the platform on this machine (NATS and Postgres from VRSKY_NATS_URL / VRSKY_POSTGRES_URL,
// defaulting to the local servers; a local S3 server), then measures:
//   - time to create a tenant with a key (control plane only: provisioning NATS accounts is
//     measured by the provisioner's own benchmark);
//   - time to deploy an integration: PUT until the orchestrator reports it running;
//   - idle memory per tenant: resident memory of each tenant's worker process with one idle
//     integration;
//   - API requests/s for the hottest read, GET /v1/integrations/:name (autocannon, in a worker
//     thread).
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { pino } from "pino";
import { z } from "zod";
import { startPlatform } from "../src/index.js";

const TENANTS = Number(process.env.BENCH_TENANTS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const POSTGRES = process.env.VRSKY_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const NATS = process.env.VRSKY_NATS_URL ?? "nats://127.0.0.1:4222";

const Result = z.object({
  requests: z.object({ average: z.number() }),
  latency: z.object({ p50: z.number(), p99: z.number() }),
  non2xx: z.number(),
});
const autocannon: (options: Record<string, unknown>) => Promise<unknown> = createRequire(import.meta.url)(
  "autocannon",
);

const fmt = (n: number, d = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ??
  Number.NaN;

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const dataDir = await mkdtemp(join(tmpdir(), "vrsky-bench-platform-"));
const database = `vrsky_bench_${randomBytes(4).toString("hex")}`;
const platform = await startPlatform({
  dataDir,
  port: 0,
  database,
  prefer: "url",
  env: { PATH: process.env.PATH, VRSKY_NATS_URL: NATS, VRSKY_POSTGRES_URL: POSTGRES },
  logger: pino({ level: "warn" }),
  // The per-key budget (600 a minute by default) would answer 429 to the load generator.
  rateLimit: { max: 10_000_000, timeWindow: 60_000 },
});
console.log(`VRSky platform benchmark — ${TENANTS} tenants, API ${platform.url}, Node ${process.version}`);

async function call(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json().catch(() => undefined)) as Record<string, unknown> };
}

try {
  const created: number[] = [];
  const deployed: number[] = [];
  const keys: string[] = [];
  for (let i = 0; i < TENANTS; i++) {
    let t0 = performance.now();
    const tenant = await call(platform.adminToken, "POST", "/v1/tenants", { name: `bench-${i}` });
    const key = await call(platform.adminToken, "POST", `/v1/tenants/${tenant.json.id}/keys`, {
      scopes: ["integrations:read", "integrations:write"],
    });
    created.push(performance.now() - t0);
    const secret = String(key.json.secret);
    keys.push(secret);
    const dir = join(dataDir, `t${i}`);
    await mkdir(join(dir, "in"), { recursive: true });
    const spec = [
      "name: idle",
      "source:",
      "  connector: file-in",
      `  config: { directory: ${join(dir, "in")}, patterns: ['*.json'] }`,
      "sinks:",
      "  out:",
      "    connector: file-out",
      `    config: { directory: ${join(dir, "out")} }`,
    ].join("\n");
    await mkdir(join(dir, "out"), { recursive: true });
    t0 = performance.now();
    const put = await call(secret, "PUT", "/v1/integrations/idle", { spec });
    if (put.status !== 201) throw new Error(`deploy failed: ${JSON.stringify(put.json)}`);
    for (;;) {
      const status = (await call(secret, "GET", "/v1/integrations/idle")).json.status as {
        state?: string;
      } | null;
      if (status?.state === "running") break;
      if (status?.state === "failed") throw new Error("deploy failed in the worker");
      await new Promise((r) => setTimeout(r, 10));
    }
    deployed.push(performance.now() - t0);
  }
  // A new version of an integration whose tenant's worker already runs.
  const redeployed: number[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const secret = keys[i] as string;
    const version = await call(secret, "GET", "/v1/integrations/idle/versions/1");
    const t0 = performance.now();
    const put = await call(secret, "PUT", "/v1/integrations/idle", {
      spec: `${String(version.json.spec)}\ndescription: v2`,
    });
    const wanted = Number(put.json.version);
    for (;;) {
      const status = (await call(secret, "GET", "/v1/integrations/idle")).json.status as {
        state?: string;
        version?: number;
      } | null;
      if (status?.state === "running" && status.version === wanted) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    redeployed.push(performance.now() - t0);
  }
  console.log(
    `create a tenant and key (API): mean ${fmt(created.reduce((a, b) => a + b, 0) / TENANTS, 1)} ms, p99 ${fmt(pct(created, 99), 1)} ms`,
  );
  console.log(
    `deploy a tenant's first integration, PUT → running (starts its worker process): mean ${fmt(deployed.reduce((a, b) => a + b, 0) / TENANTS)} ms, p99 ${fmt(pct(deployed, 99))} ms`,
  );
  console.log(
    `deploy a new version, PUT → running in the tenant's worker: mean ${fmt(redeployed.reduce((a, b) => a + b, 0) / TENANTS)} ms, p99 ${fmt(pct(redeployed, 99))} ms`,
  );
  await new Promise((r) => setTimeout(r, 3000));
  const workers = platform.orchestrator.workers();
  const rss = await Promise.all(workers.map((w) => rssOf(w.pid as number)));
  console.log(
    `idle memory per tenant (one worker process, one idle integration): mean ${fmt(rss.reduce((a, b) => a + b, 0) / rss.length / 1024 / 1024, 1)} MiB RSS over ${rss.length} workers; orchestrator+API process ${fmt(process.memoryUsage.rss() / 1024 / 1024, 1)} MiB`,
  );
  const raw = await autocannon({
    url: `${platform.url}/v1/integrations/idle`,
    headers: { authorization: `Bearer ${keys[0]}` },
    connections: 20,
    duration: SECONDS,
    workers: 1,
  });
  const result = Result.parse(raw);
  console.log(
    `API GET /v1/integrations/:name (20 connections, ${SECONDS} s): ${fmt(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`,
  );
} finally {
  await platform.stop();
  const admin = new pg.Client({ connectionString: POSTGRES });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
}
