// The order-flow example, end to end: the built `vrsky` CLI runs this directory's integration on
// real NATS JetStream and a real Postgres (a database of its own, dropped afterwards); a local
// HTTP server stands in for Slack's incoming webhook and can be made to fail.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { baseEnv, cli, type DeadLetter, natsUrl } from "../cli-env.js";

const here = import.meta.dirname;
const ordersUrl = "http://127.0.0.1:8794/orders";
const apiKey = `key-${randomUUID()}`;
const adminUrl = process.env.VRSKY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const database = `order_flow_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).href;
// Order ids double as idempotency keys: unique per run, or a rerun within the de-duplication
// window would be answered "duplicate".
const run = randomUUID().slice(0, 8);

/** What `vrsky dev --json` prints when it stops (the fields used here). */
interface DevResult {
  delivered: Record<string, number>;
  deadLettered: number;
}
let db: pg.Client;
let slack: Server;
let slackUrl = "";
/** Every post the Slack stand-in received, with the status it answered. */
let posts: { status: number; text: string }[] = [];
let slackDown = false;
let dev: ChildProcess | undefined;

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(here, "__fixtures__", name), "utf8")) as { id: string } & Record<
    string,
    unknown
  >;
const order = (name: "small-order.json" | "big-order.json", id: string) => ({
  ...fixture(name),
  id: `${run}-${id}`,
});

async function postOrder(body: { id: string }, key = apiKey): Promise<number> {
  const res = await fetch(ordersUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key, "idempotency-key": body.id },
    body: JSON.stringify(body),
  });
  return res.status;
}

const rows = async () =>
  (
    await db.query<{ order_id: string; total: string; item_count: number }>(
      "select order_id, total, item_count from orders order by order_id",
    )
  ).rows;
const announced = (id: string) => posts.filter((p) => p.status === 200 && p.text.includes(id)).length;
const attempts = (id: string) => posts.filter((p) => p.text.includes(id)).length;

/** Runs a `vrsky dlq` command against this integration and parses its `--json` result. */
async function dlq<T>(...args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [cli, "dlq", ...args, "--integration", "order-flow", "--nats-url", natsUrl, "--json"],
    { env: baseEnv, encoding: "utf8" },
  );
  return JSON.parse(stdout) as T;
}

/** Runs `vrsky dev --json` here until {@link stopDev}, and waits until the webhook answers. */
async function startDev(): Promise<void> {
  let log = "";
  const child = spawn(process.execPath, [cli, "dev", ".", "--no-tui", "--no-watch", "--json"], {
    cwd: here,
    env: { ...baseEnv, ORDERS_WEBHOOK_KEY: apiKey, DATABASE_URL: databaseUrl, SLACK_WEBHOOK_URL: slackUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  dev = child;
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString("utf8");
  });
  await vi.waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`vrsky dev exited with ${child.exitCode}:\n${log}`);
      expect((await fetch("http://127.0.0.1:8794/healthz")).status).toBe(200);
    },
    { timeout: 30_000, interval: 200 },
  );
}

/** Stops `vrsky dev` and returns the counts it printed. */
async function stopDev(): Promise<DevResult | undefined> {
  const child = dev;
  dev = undefined;
  if (!child || child.exitCode !== null) return undefined;
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  return JSON.parse(stdout) as DevResult;
}

beforeAll(async () => {
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  db = new pg.Client(databaseUrl);
  await db.connect();
  await db.query(readFileSync(join(here, "schema.sql"), "utf8"));

  slack = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const { text } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { text: string };
      const status = slackDown ? 500 : 200;
      posts.push({ status, text });
      res.writeHead(status, { "content-type": "text/plain" }).end(slackDown ? "internal_error" : "ok");
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, "127.0.0.1", resolve));
  slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T000/B000/XXXX`;
});

afterEach(async () => {
  await stopDev();
  // Leave no dead letters behind for the next test or run.
  await dlq("purge", "--all");
  await db.query("truncate orders");
  posts = [];
  slackDown = false;
});

afterAll(async () => {
  await db?.end();
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
  await new Promise((resolve) => slack?.close(resolve));
});

describe("the order-flow example", () => {
  it("stores every order in Postgres and announces only big ones in Slack", async () => {
    await startDev();
    expect(await postOrder(order("small-order.json", "1"))).toBe(202);
    expect(await postOrder(order("big-order.json", "2"))).toBe(202);
    expect(await postOrder(order("small-order.json", "3"))).toBe(202);

    await expect.poll(rows, { timeout: 15_000 }).toEqual([
      { order_id: `${run}-1`, total: "119.00", item_count: 3 },
      { order_id: `${run}-2`, total: "1417.96", item_count: 6 },
      { order_id: `${run}-3`, total: "119.00", item_count: 3 },
    ]);
    await expect
      .poll(() => posts, { timeout: 15_000 })
      .toEqual([{ status: 200, text: `Big order *${run}-2* from Grace Hopper: 1417.96 EUR for 6 items` }]);
    expect(await stopDev()).toMatchObject({ delivered: { db: 3, slack: 1 }, deadLettered: 0 });
  });

  it("refuses an order without the right API key with 401 and stores nothing", async () => {
    await startDev();
    expect(await postOrder(order("big-order.json", "forged"), "not-the-key")).toBe(401);
    // An accepted order after it: once it is stored, the refused one can no longer follow.
    expect(await postOrder(order("small-order.json", "after"))).toBe(202);
    await expect
      .poll(async () => (await rows()).map((r) => r.order_id), { timeout: 15_000 })
      .toEqual([`${run}-after`]);
    expect(posts).toEqual([]);
  });

  it("keeps storing orders while Slack fails, dead-letters the posts after 3 attempts, and delivers them on replay without duplicating a row", async () => {
    slackDown = true;
    await startDev();
    for (const [fixtureName, id] of [
      ["big-order.json", "4"],
      ["big-order.json", "5"],
      ["small-order.json", "6"],
    ] as const) {
      expect(await postOrder(order(fixtureName, id))).toBe(202);
    }

    await expect
      .poll(async () => (await rows()).map((r) => r.order_id), { timeout: 15_000 })
      .toEqual([`${run}-4`, `${run}-5`, `${run}-6`]);
    const letters = await vi.waitFor(
      async () => {
        const { entries } = await dlq<{ entries: DeadLetter[] }>("list");
        expect(entries).toHaveLength(2);
        return entries;
      },
      { timeout: 20_000, interval: 200 },
    );
    for (const letter of letters) {
      expect(letter.failure).toMatchObject({ stage: "sink", step: "slack", attempts: 3 });
      expect(letter.failure.error).toContain("500");
    }
    expect(letters.map((l) => l.id).sort()).toEqual([`${run}-4`, `${run}-5`]);
    expect([attempts(`${run}-4`), attempts(`${run}-5`), attempts(`${run}-6`)]).toEqual([3, 3, 0]);

    slackDown = false;
    expect(await dlq("replay", "--step", "slack")).toEqual({ replayed: 2 });
    await expect
      .poll(() => [announced(`${run}-4`), announced(`${run}-5`)], { timeout: 15_000 })
      .toEqual([1, 1]);
    expect((await dlq<{ total: number }>("list")).total).toBe(0);

    // The replay went to the Slack sink only: the database received each order exactly once.
    expect(await rows()).toHaveLength(3);
    expect(await stopDev()).toMatchObject({ delivered: { db: 3, slack: 2 }, deadLettered: 2 });
  });
});
