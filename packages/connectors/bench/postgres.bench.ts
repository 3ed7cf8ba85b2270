// The postgres-out benchmark:
//   node --conditions=@vrsky/source --import tsx packages/connectors/bench/postgres.bench.ts
// Calls deliverBatch directly (batches of 500, as the runtime would) against the Postgres at
// VRSKY_POSTGRES_URL (default: the shared postgres://postgres@127.0.0.1:5432/postgres), in a
// scratch schema dropped afterwards. BENCH_ROWS (default 50000) sets the rows per scenario.
// Messages are built before timing, so the figures are the connector plus Postgres.
import { randomUUID } from "node:crypto";
import type { Message } from "@vrsky/sdk";
import { createTestContext, createTestMessage } from "@vrsky/sdk/testing";
import pg from "pg";
import { pino } from "pino";
import postgresOut from "../src/postgres-out/index.js";

const URL = process.env.VRSKY_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const BATCH = postgresOut.batch?.maxSize ?? 500;
const schema = `bench_${randomUUID().replaceAll("-", "").slice(0, 10)}`;

interface Scenario {
  name: string;
  config: Record<string, unknown>;
}

async function buildMessages(offset: number): Promise<Message[]> {
  const messages: Message[] = [];
  for (let i = 0; i < ROWS; i++) {
    const id = offset + i;
    messages.push(
      await createTestMessage({
        json: {
          id,
          customer: `customer-${id % 1000}`,
          amount: (id % 10_000) / 100,
          payload: { sku: `SKU-${id % 97}`, qty: 1 + (id % 5) },
        },
      }),
    );
  }
  return messages;
}

async function run(scenario: Scenario, messages: readonly Message[]): Promise<void> {
  const handle = await createTestContext(postgresOut, {
    config: { connectionString: URL, ...scenario.config },
    logger: pino({ level: "silent" }),
  });
  try {
    const ctx = { ...handle.ctx, attempt: 1 };
    // Warm-up: the table's columns are read and connections opened before timing.
    await postgresOut.deliverBatch?.(messages.slice(0, 1), ctx);
    const started = performance.now();
    let failed = 0;
    for (let start = 1; start < messages.length; start += BATCH) {
      const outcomes = await postgresOut.deliverBatch?.(messages.slice(start, start + BATCH), ctx);
      failed += outcomes ? outcomes.filter((o) => !o.ok).length : 0;
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = messages.length - 1;
    console.log(
      `${scenario.name.padEnd(34)} ${String(rows).padStart(7)} rows  ${seconds.toFixed(2).padStart(6)} s  ` +
        `${Math.round(rows / seconds)
          .toLocaleString("en")
          .padStart(8)} rows/s${failed ? `  (${failed} failed)` : ""}`,
    );
  } finally {
    await handle.close();
  }
}

const admin = new pg.Client({ connectionString: URL });
await admin.connect();
try {
  await admin.query(`CREATE SCHEMA ${schema}`);
  const columns = "id bigint PRIMARY KEY, customer text, amount numeric(12,2), payload jsonb";
  await admin.query(`CREATE TABLE ${schema}.inserts (${columns})`);
  await admin.query(`CREATE TABLE ${schema}.idempotent (${columns}, message_id text UNIQUE)`);
  await admin.query(`CREATE TABLE ${schema}.upserts (${columns})`);
  const messages = await buildMessages(0);
  console.log(
    `postgres-out → ${URL.replace(/\/\/[^@]*@/, "//…@")}, batches of ${BATCH}, ${ROWS} messages per scenario`,
  );
  await run({ name: "insert", config: { table: `${schema}.inserts` } }, messages);
  await run(
    {
      name: "insert + idColumn (ON CONFLICT)",
      config: { table: `${schema}.idempotent`, idColumn: "message_id" },
    },
    messages,
  );
  await run(
    { name: "upsert (new rows)", config: { table: `${schema}.upserts`, mode: "upsert", key: ["id"] } },
    messages,
  );
  await run(
    {
      name: "upsert (every row updated)",
      config: { table: `${schema}.upserts`, mode: "upsert", key: ["id"] },
    },
    messages,
  );
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}
