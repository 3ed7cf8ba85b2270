import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { FatalError, RetryableError } from "@vrsky/sdk";
import { createTestMessage, runProducer } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgresOut from "./index.js";

const SERVER = process.env.VRSKY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const schema = `pgout_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
const admin = new pg.Pool({ connectionString: SERVER, max: 2 });
let tableCount = 0;

/** Creates a fresh table in the test schema and returns its qualified name. */
async function createTable(columns: string): Promise<string> {
  const table = `${schema}.t${++tableCount}`;
  await admin.query(`CREATE TABLE ${table} (${columns})`);
  return table;
}

async function rows(table: string, orderBy = "1"): Promise<Record<string, unknown>[]> {
  return (await admin.query(`SELECT * FROM ${table} ORDER BY ${orderBy}`)).rows;
}

/** The error of the first failed delivery; fails the test if there is none. */
function firstError(failures: readonly { error: unknown }[]): Error {
  const error = failures[0]?.error;
  if (!(error instanceof Error)) throw new Error(`expected a failed delivery, got ${String(error)}`);
  return error;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

beforeAll(async () => {
  await admin.query(`CREATE SCHEMA ${schema}`);
});

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describe("postgres-out", () => {
  it("inserts each message's JSON fields into the columns of the same name", async () => {
    const table = await createTable(
      "id int PRIMARY KEY, name text, tags text[], meta jsonb, created timestamptz DEFAULT now()",
    );
    const { delivered, failures } = await runProducer(postgresOut, { connectionString: SERVER, table }, [
      { json: { id: 1, name: "Ada", tags: ["a", "b"], meta: { vip: true } } },
      { json: { id: 2, name: null, meta: ["x"] } },
    ]);
    expect(failures).toEqual([]);
    expect(delivered).toHaveLength(2);
    const stored = await rows(table);
    expect(stored.map(({ created: _created, ...row }) => row)).toEqual([
      { id: 1, name: "Ada", tags: ["a", "b"], meta: { vip: true } },
      { id: 2, name: null, tags: null, meta: ["x"] },
    ]);
    expect(stored[0]?.created).toBeInstanceOf(Date);
  });

  it("maps nested body paths to columns with casts, leaving missing paths to the column default", async () => {
    const table = await createTable(
      "order_id text PRIMARY KEY, customer text, total numeric, status text DEFAULT 'new', raw jsonb",
    );
    const config = {
      connectionString: SERVER,
      table,
      columns: {
        order_id: "id",
        customer: "customer.name",
        total: { path: "amount", type: "numeric" },
        status: "state",
        raw: "$",
      },
    };
    const body = { id: "A-1", customer: { name: "Ada" }, amount: "19.90" };
    const { failures } = await runProducer(postgresOut, config, [{ json: body }]);
    expect(failures).toEqual([]);
    expect(await rows(table)).toEqual([
      { order_id: "A-1", customer: "Ada", total: "19.90", status: "new", raw: body },
    ]);
  });

  it("upserts by key, so delivering the same order twice leaves one updated row", async () => {
    const table = await createTable("order_id text PRIMARY KEY, total int, note text");
    const config = { connectionString: SERVER, table, mode: "upsert", key: ["order_id"] };
    await runProducer(postgresOut, config, [{ json: { order_id: "A-1", total: 10, note: "first" } }]);
    const update = await createTestMessage({ id: "m-2", json: { order_id: "A-1", total: 12 } });
    await runProducer(postgresOut, config, [update]);
    await runProducer(postgresOut, config, [update], { attempt: 2 });
    expect(await rows(table)).toEqual([{ order_id: "A-1", total: 12, note: "first" }]);
  });

  it("applies repeated keys in one batch in order, the last one winning", async () => {
    const table = await createTable("sku text PRIMARY KEY, qty int");
    const config = { connectionString: SERVER, table, mode: "upsert", key: ["sku"] };
    const inputs = [1, 2, 3].map((qty) => ({ json: { sku: "KB-01", qty } }));
    const { failures } = await runProducer(postgresOut, config, inputs, { batch: true });
    expect(failures).toEqual([]);
    expect(await rows(table)).toEqual([{ sku: "KB-01", qty: 3 }]);
  });

  it("makes plain inserts idempotent with idColumn: a redelivered message is not inserted twice", async () => {
    const table = await createTable("message_id text PRIMARY KEY, v int");
    const config = { connectionString: SERVER, table, idColumn: "message_id" };
    const message = await createTestMessage({ id: "m-1", json: { v: 1 } });
    await runProducer(postgresOut, config, [message]);
    const retry = await runProducer(postgresOut, config, [message], { attempt: 2 });
    expect(retry.failures).toEqual([]);
    expect(await rows(table)).toEqual([{ message_id: "m-1", v: 1 }]);
  });

  it("writes a batch of 1000 messages in batches of 500", async () => {
    const table = await createTable("id int PRIMARY KEY, name text");
    const inputs = Array.from({ length: 1000 }, (_, id) => ({ json: { id, name: `n${id}` } }));
    const { delivered, failures } = await runProducer(
      postgresOut,
      { connectionString: SERVER, table },
      inputs,
      {
        batch: true,
      },
    );
    expect(failures).toEqual([]);
    expect(delivered).toHaveLength(1000);
    const count = await admin.query(`SELECT count(*)::int AS n, sum(id)::int AS s FROM ${table}`);
    expect(count.rows[0]).toEqual({ n: 1000, s: 499_500 });
  });

  it("fails only the row with a type mismatch, naming the column, its type and the body path", async () => {
    const table = await createTable("id int PRIMARY KEY, qty integer");
    const inputs = [
      { json: { id: 1, qty: 5 } },
      { json: { id: 2, qty: "five" } },
      { json: { id: 3, qty: 7 } },
    ];
    const { delivered, failures } = await runProducer(
      postgresOut,
      { connectionString: SERVER, table },
      inputs,
      {
        batch: true,
      },
    );
    expect(delivered).toHaveLength(2);
    expect(failures).toHaveLength(1);
    const error = firstError(failures);
    expect(error).toBeInstanceOf(FatalError);
    expect(error.message).toMatch(
      /column "qty" \(integer\) rejected a string from body path "qty" \(22P02 invalid_text_representation\)/,
    );
    expect(error.message).not.toContain("five");
    expect(await rows(table)).toEqual([
      { id: 1, qty: 5 },
      { id: 3, qty: 7 },
    ]);
  });

  it("fails a row that violates a constraint with a FatalError naming the constraint", async () => {
    const table = await createTable("id int PRIMARY KEY, qty int NOT NULL CHECK (qty > 0)");
    const { failures } = await runProducer(postgresOut, { connectionString: SERVER, table }, [
      { json: { id: 1, qty: -1 } },
    ]);
    expect(firstError(failures)).toBeInstanceOf(FatalError);
    expect(firstError(failures).message).toMatch(/violates check constraint .*23514 check_violation/);
  });

  it("rejects a body field with no column, naming the field and table", async () => {
    const table = await createTable("id int PRIMARY KEY");
    const { failures } = await runProducer(postgresOut, { connectionString: SERVER, table }, [
      { json: { id: 1, colour: "red" } },
    ]);
    expect(firstError(failures)).toBeInstanceOf(FatalError);
    expect(firstError(failures).message).toContain(`body field "colour" has no column in table ${table}`);
  });

  it("reports a missing table as a FatalError that names it and says how to fix it", async () => {
    const { failures } = await runProducer(
      postgresOut,
      { connectionString: SERVER, table: `${schema}.nope` },
      [{ json: { id: 1 } }],
    );
    expect(firstError(failures)).toBeInstanceOf(FatalError);
    expect(firstError(failures).message).toMatch(
      new RegExp(`table ${schema}\\.nope does not exist.*create the table, or fix \`table\``),
    );
  });

  it("reports a refused connection as a RetryableError without the connection string", async () => {
    const port = await closedPort();
    const connectionString = `postgres://vrsky:s3cret-pw@127.0.0.1:${port}/app`;
    const { failures } = await runProducer(postgresOut, { connectionString, table: "t" }, [
      { json: { id: 1 } },
    ]);
    const error = firstError(failures);
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain("s3cret-pw");
  });
});

let conformanceTable = "";
describeConformance(postgresOut, {
  config: { connectionString: SERVER, table: `${schema}.conformance`, idColumn: "message_id" },
  invalidConfigs: [
    { config: { connectionString: SERVER, table: "t", mode: "upsert" }, reason: "upsert needs key" },
    { config: { connectionString: "mysql://x", table: "t" }, reason: "not a postgres URL" },
    { config: { connectionString: SERVER, table: "a.b.c" }, reason: "three-part table names are not tables" },
  ],
  fixtures: [{ json: { sku: "KB-01", qty: 2 } }, { json: { sku: "MS-07", qty: 1 } }],
  badInput: { json: { sku: "KB-01", qty: "two" } },
  setup: async () => {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.conformance (message_id text PRIMARY KEY, sku text, qty int)`);
    conformanceTable = `${schema}.conformance`;
  },
  observe: async () => rows(conformanceTable, "sku, message_id"),
});
