// The CDC → API example, end to end: the built `vrsky` CLI runs this directory's integration on
// real NATS JetStream, reading a private Postgres with logical replication; a local HTTP server
// stands in for the orders API.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "@vrsky/services";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { baseEnv, cli, natsUrl } from "../cli-env.js";

const here = import.meta.dirname;
const token = `token-${randomUUID()}`;

/** One request the API stand-in received. */
interface ApiRequest {
  status: number;
  path: string;
  key: string | undefined;
  eventType: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  body: { type: string; orderId: number; order: unknown; previous: unknown; occurredAt: string };
}

let postgres: EmbeddedPostgres;
let db: pg.Client;
let api: Server;
let dev: ChildProcess;
let devLog = "";
let apiUrl = "";
const requests: ApiRequest[] = [];
/** The API answers 503 to the first update it sees, so one change is delivered twice. */
let failedAnUpdate = false;

const accepted = () => requests.filter((r) => r.status === 202);

/**
 * Deletes the integration's streams and buckets. Every run starts a fresh Postgres whose commit
 * positions repeat the last run's: its saved checkpoint (a later LSN) would make the source skip
 * the new changes, and its ingress would drop repeated change ids within the de-duplication window.
 */
async function resetIntegrationState(): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) {
      if (/^(KV_|OBJ_)?int-cdc-to-api-/.test(name)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}

/** Runs `vrsky dev` here and waits until the source's replication slot streams. */
async function startDev(): Promise<void> {
  devLog = "";
  dev = spawn(process.execPath, [cli, "dev", ".", "--no-tui", "--no-watch", "--log-level", "warn"], {
    cwd: here,
    env: { ...baseEnv, DATABASE_URL: postgres.url, ORDERS_API_URL: apiUrl, ORDERS_API_TOKEN: token },
    stdio: ["ignore", "ignore", "pipe"],
  });
  dev.stderr?.on("data", (chunk: Buffer) => {
    devLog += chunk.toString("utf8");
  });
  // Changes are captured from the moment the slot exists; waiting for it to stream also means
  // the source has started.
  await vi.waitFor(
    async () => {
      if (dev.exitCode !== null) throw new Error(`vrsky dev exited with ${dev.exitCode}:\n${devLog}`);
      const { rows } = await db.query(
        "select active from pg_replication_slots where slot_name = 'orders_api'",
      );
      expect(rows).toEqual([{ active: true }]);
    },
    { timeout: 30_000, interval: 200 },
  );
}

async function stopDev(): Promise<void> {
  if (!dev || dev.exitCode !== null) return;
  const exited = new Promise((resolve) => dev.once("exit", resolve));
  dev.kill("SIGTERM");
  await exited;
}

beforeAll(async () => {
  await resetIntegrationState();
  postgres = await startEmbeddedPostgres({ walLevel: "logical", database: "shop" });
  db = new pg.Client(postgres.url);
  await db.connect();
  await db.query(readFileSync(join(here, "schema.sql"), "utf8"));

  api = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const eventType = req.headers["x-event-type"] as string | undefined;
      const fail = eventType === "order.updated" && !failedAnUpdate;
      if (fail) failedAnUpdate = true;
      const status = fail ? 503 : 202;
      requests.push({
        status,
        path: req.url ?? "",
        key: req.headers["idempotency-key"] as string | undefined,
        eventType,
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as ApiRequest["body"],
      });
      res.writeHead(status, { "content-type": "application/json" }).end(fail ? '{"error":"busy"}' : "{}");
    });
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const { port } = api.address() as AddressInfo;
  apiUrl = `http://127.0.0.1:${port}/events`;
  await startDev();
});

afterAll(async () => {
  await stopDev();
  // Leave no dead letters behind for the next run.
  await promisify(execFile)(
    process.execPath,
    [cli, "dlq", "purge", "--all", "--integration", "cdc-to-api", "--nats-url", natsUrl],
    {
      env: baseEnv,
    },
  );
  await db?.end();
  await postgres?.stop();
  await new Promise((resolve) => api?.close(resolve));
});

describe("the cdc-to-api example", () => {
  it("posts inserts, updates and deletes to the API in commit order, each under a stable idempotency key", async () => {
    await db.query("insert into orders (customer, total) values ('ada', 19.90), ('grace', 250.00)");
    await db.query("update orders set status = 'paid' where customer = 'ada'");
    await db.query("delete from orders where customer = 'grace'");

    await expect.poll(() => accepted().length, { timeout: 20_000 }).toBe(4);
    const events = accepted();
    const ada = { id: 1, customer: "ada", total: "19.90" };
    const grace = { id: 2, customer: "grace", total: "250.00", status: "new" };
    expect(events.map((e) => e.body)).toEqual([
      {
        type: "order.created",
        orderId: 1,
        order: { ...ada, status: "new" },
        previous: null,
        occurredAt: expect.any(String),
      },
      { type: "order.created", orderId: 2, order: grace, previous: null, occurredAt: expect.any(String) },
      {
        type: "order.updated",
        orderId: 1,
        order: { ...ada, status: "paid" },
        previous: { ...ada, status: "new" },
        occurredAt: expect.any(String),
      },
      { type: "order.deleted", orderId: 2, order: null, previous: grace, occurredAt: expect.any(String) },
    ]);
    for (const e of events) {
      expect(e).toMatchObject({
        path: "/events",
        eventType: e.body.type,
        authorization: `Bearer ${token}`,
        contentType: expect.stringContaining("application/json"),
      });
    }

    // Each change has its own key, <commit LSN>:<table>:<index in the transaction>: the two
    // inserts share a transaction and differ by index.
    const keys = events.map((e) => e.key);
    expect(new Set(keys).size).toBe(4);
    for (const key of keys) expect(key).toMatch(/^[0-9A-F]+\/[0-9A-F]+:public\.orders:\d+$/);
    expect(keys[0]?.replace(/:0$/, "")).toBe(keys[1]?.replace(/:1$/, ""));

    // The update was refused once and retried under the same key, before any later change.
    const updates = requests.filter((r) => r.eventType === "order.updated");
    expect(updates.map((r) => [r.status, r.key])).toEqual([
      [503, keys[2]],
      [202, keys[2]],
    ]);
    expect(requests.map((r) => r.eventType)).toEqual([
      "order.created",
      "order.created",
      "order.updated",
      "order.updated",
      "order.deleted",
    ]);
  });

  it("resumes after a restart with the changes made while it was down, resending none it delivered", async () => {
    await stopDev();
    const before = requests.length;
    await db.query("insert into orders (customer, total) values ('linus', 5.00)");
    await startDev();
    await expect.poll(() => requests.length - before, { timeout: 20_000 }).toBe(1);
    expect(requests.at(-1)).toMatchObject({
      status: 202,
      body: {
        type: "order.created",
        orderId: 3,
        order: { id: 3, customer: "linus", total: "5.00", status: "new" },
      },
    });
    // Nothing delivered before the restart came back: every accepted key is still unique.
    expect(new Set(accepted().map((r) => r.key)).size).toBe(accepted().length);
  });
});
