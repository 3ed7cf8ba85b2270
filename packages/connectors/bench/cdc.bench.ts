// The postgres-cdc benchmark:
//   node --conditions=@vrsky/source --import tsx packages/connectors/bench/cdc.bench.ts
// Starts a private Postgres (wal_level=logical), runs the consumer in-process with an emit that
// serialises the message and resolves at once (so NATS is not measured). "live" scenarios time
// row changes from the first INSERT until the last change is emitted (bounded by how fast the
// inserts run, on the same 2 cores); "backlog" inserts first and times the consumer draining
// the slot, which is the connector's own ceiling. BENCH_ROWS (default 100000) sets the rows of
// the batched scenarios (500 rows per transaction); the single-row one uses a tenth.
import type { CheckpointStore, Emit } from "@vrsky/sdk";
import { toBodySource } from "@vrsky/sdk";
import { createTestContext } from "@vrsky/sdk/testing";
import { startEmbeddedPostgres } from "@vrsky/services";
import pg from "pg";
import { pino } from "pino";
import postgresCdc, { type PostgresCdcCheckpoint } from "../src/postgres-cdc/index.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
// Optional arguments pick scenarios by kind: `live`, `backlog`.
const only = process.argv.slice(2);

const server = await startEmbeddedPostgres({ walLevel: "logical" });
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();

let scenarios = 0;

async function insertRows(table: string, rows: number, perTransaction: number): Promise<void> {
  for (let from = 1; from <= rows; from += perTransaction) {
    const to = Math.min(rows, from + perTransaction - 1);
    await admin.query(
      `INSERT INTO ${table} (id, name, amount) SELECT g, 'name-' || g, g * 1.5 FROM generate_series($1::int, $2::int) g`,
      [from, to],
    );
  }
}

async function scenario(name: string, rows: number, perTransaction: number, backlog: boolean): Promise<void> {
  if (only.length > 0 && !only.includes(backlog ? "backlog" : "live")) return;
  const n = ++scenarios;
  const table = `bench_${n}`;
  const slot = `bench_slot_${n}`;
  await admin.query(
    `CREATE TABLE ${table} (id int PRIMARY KEY, name text, amount numeric, created timestamptz DEFAULT now())`,
  );
  if (backlog) {
    await admin.query(`CREATE PUBLICATION vrsky_${slot} FOR TABLE ${table}`);
    await admin.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [slot]);
    await insertRows(table, rows, perTransaction);
  }
  const handle = await createTestContext(postgresCdc, {
    config: { connectionString: server.url, slot, tables: [table] },
    logger: pino({ level: "silent" }),
  });
  let emitted = 0;
  let bytes = 0;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const emit: Emit<PostgresCdcCheckpoint> = async (init) => {
    const body = toBodySource(init);
    bytes += body.type === "bytes" ? body.bytes.byteLength : 0;
    if (++emitted === rows) resolveDone();
    return { id: String(emitted), duplicate: false };
  };
  const checkpoint: CheckpointStore<PostgresCdcCheckpoint> = {
    load: async () => undefined,
    save: async () => {},
  };
  let started = performance.now();
  const running = postgresCdc.start({ ...handle.ctx, checkpoint }, emit);
  running.catch(() => {});
  if (!backlog) {
    for (;;) {
      const { rows: slots } = await admin.query(
        "SELECT active FROM pg_replication_slots WHERE slot_name = $1",
        [slot],
      );
      if (slots[0]?.active === true) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    started = performance.now();
    await insertRows(table, rows, perTransaction);
  }
  const inserted = performance.now();
  await Promise.race([done, running]);
  const finished = performance.now();
  handle.abort();
  await running;
  await handle.close();
  const seconds = (finished - started) / 1000;
  console.log(
    `${name.padEnd(40)} ${String(emitted).padStart(7)} changes  ` +
      (backlog ? "" : `inserts took ${((inserted - started) / 1000).toFixed(2)} s, `) +
      `last change emitted after ${seconds.toFixed(2)} s  →  ${Math.round(emitted / seconds).toLocaleString("en")} changes/s ` +
      `(${Math.round(bytes / emitted)} B/message)`,
  );
}

try {
  console.log("postgres-cdc on a private Postgres 17 (wal_level=logical), emit resolves at once");
  await scenario("live, 500 rows per transaction", ROWS, 500, false);
  await scenario("live, 1 row per transaction", Math.max(1, Math.floor(ROWS / 10)), 1, false);
  await scenario("backlog, 500 rows per transaction", ROWS, 500, true);
  await scenario("backlog, 1 row per transaction", Math.max(1, Math.floor(ROWS / 10)), 1, true);
} finally {
  await admin.end();
  await server.stop();
}
