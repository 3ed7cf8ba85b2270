// The CSV → Postgres example, end to end: the built `vrsky` CLI runs this directory's integration
// on real NATS JetStream and a real Postgres (a database of its own, dropped afterwards).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { baseEnv, cli, type DeadLetter, natsUrl } from "../cli-env.js";

const here = import.meta.dirname;
const inbox = join(here, "inbox");
const processed = join(here, "processed");
const adminUrl = process.env.VRSKY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const database = `csv_to_postgres_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).href;

let db: pg.Client;
let dev: ChildProcess;
let devLog = "";

/** Drops a fixture into the inbox the way a careful writer does: a hidden name, then a rename. */
function drop(fixture: string, as: string): void {
  const hidden = join(inbox, `.${as}.part`);
  copyFileSync(join(here, "__fixtures__", fixture), hidden);
  renameSync(hidden, join(inbox, as));
}

/** Runs a `vrsky dlq` command against this integration and parses its `--json` result. */
async function dlq<T>(...args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [cli, "dlq", ...args, "--integration", "csv-to-postgres", "--nats-url", natsUrl, "--json"],
    { env: baseEnv, encoding: "utf8" },
  );
  return JSON.parse(stdout) as T;
}

/** Waits until the DLQ holds `count` dead letters and returns them. */
const deadLetters = (count: number) =>
  vi.waitFor(
    async () => {
      const { entries } = await dlq<{ entries: DeadLetter[] }>("list");
      expect(entries).toHaveLength(count);
      return entries;
    },
    { timeout: 15_000, interval: 100 },
  );
const skus = async () =>
  (await db.query<{ sku: string }>("select sku from products order by sku")).rows.map((r) => r.sku);

beforeAll(async () => {
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  db = new pg.Client(databaseUrl);
  await db.connect();
  await db.query(readFileSync(join(here, "schema.sql"), "utf8"));

  mkdirSync(inbox, { recursive: true });
  rmSync(processed, { recursive: true, force: true });
  dev = spawn(process.execPath, [cli, "dev", ".", "--no-tui", "--no-watch", "--log-level", "warn"], {
    cwd: here,
    env: { ...baseEnv, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "pipe"],
  });
  dev.stderr?.on("data", (chunk: Buffer) => {
    devLog += chunk.toString("utf8");
  });
  await vi.waitFor(
    () => {
      if (dev.exitCode !== null) throw new Error(`vrsky dev exited with ${dev.exitCode}:\n${devLog}`);
      expect(devLog).toContain("running csv-to-postgres");
    },
    { timeout: 30_000, interval: 100 },
  );
});

beforeEach(async () => {
  await db.query("truncate products");
});

afterEach(async () => {
  // Leave no dead letters behind for the next test or run.
  await dlq("purge", "--all");
});

afterAll(async () => {
  if (dev && dev.exitCode === null) {
    const exited = new Promise((resolve) => dev.once("exit", resolve));
    dev.kill("SIGTERM");
    await exited;
  }
  await db?.end();
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
  for (const file of readdirSync(inbox)) if (file.endsWith(".csv")) rmSync(join(inbox, file));
  rmSync(processed, { recursive: true, force: true });
});

describe("the csv-to-postgres example", () => {
  it("inserts every row of a dropped CSV file with typed values and moves the file to processed/", async () => {
    drop("products.csv", "products.csv");
    await expect.poll(skus, { timeout: 15_000 }).toEqual(["CB-02", "KB-01", "MN-27", "MS-07"]);
    const { rows } = await db.query(
      "select sku, name, qty, price, in_stock, ean from products where sku in ('KB-01', 'MN-27')",
    );
    expect(rows).toEqual([
      {
        sku: "KB-01",
        name: "Keyboard, US layout",
        qty: 12,
        price: "49.50",
        in_stock: true,
        ean: "0871234567890",
      },
      { sku: "MN-27", name: '27" monitor', qty: 3, price: "289.99", in_stock: false, ean: "0871234567892" },
    ]);
    await expect.poll(() => existsSync(join(processed, "products.csv")), { timeout: 10_000 }).toBe(true);
    expect(existsSync(join(inbox, "products.csv"))).toBe(false);
  });

  it("dead-letters a row whose value does not fit its column, with the reason, and inserts the others", async () => {
    drop("products-bad-value.csv", "products-bad-value.csv");
    await expect.poll(skus, { timeout: 15_000 }).toEqual(["DK-01", "HD-01"]);
    const [letter] = await deadLetters(1);
    expect(letter?.failure).toMatchObject({ stage: "sink", step: "db" });
    expect(letter?.failure.error).toMatch(/column "qty" \(integer\) rejected a string from body path "qty"/);
    // The row's id is <file key>:<row index>: the webcam is the file's second row.
    expect(letter?.id).toMatch(/products-bad-value\.csv:\d+:[\d.]+:1$/);
    expect(await skus()).toEqual(["DK-01", "HD-01"]);
  });

  it("dead-letters a file with a malformed record whole, naming the line, and inserts none of it", async () => {
    drop("products-malformed.csv", "products-malformed.csv");
    const [letter] = await deadLetters(1);
    expect(letter?.failure).toMatchObject({ stage: "process", step: "parse" });
    expect(letter?.failure.error).toMatch(/malformed CSV at line 3/);
    expect(await skus()).toEqual([]);
    // The file was accepted (its message is in the DLQ, replayable), so it still moves on.
    await expect
      .poll(() => existsSync(join(processed, "products-malformed.csv")), { timeout: 10_000 })
      .toBe(true);
  });
});
