import { ConfigError, FatalError, type Message } from "@vrsky/sdk";
import { CHECKPOINT_STATE_KEY, MemoryStateStore, runConsumer } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "@vrsky/services";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgresCdc, { type ChangeEvent } from "./index.js";

const SHARED_SERVER = process.env.VRSKY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

let server: EmbeddedPostgres;
// One client, not a pool: Pool.end() resolves before its sockets close, and the server stops right after.
let admin: pg.Client;
let tableCount = 0;

beforeAll(async () => {
  server = await startEmbeddedPostgres({ walLevel: "logical" });
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

/** A fresh table (REPLICA IDENTITY FULL, so updates and deletes carry the old row) and a slot name. */
async function freshTable(rows: readonly [number, string][] = []): Promise<{ table: string; slot: string }> {
  const n = ++tableCount;
  const table = `items_${n}`;
  await admin.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text)`);
  await admin.query(`ALTER TABLE ${table} REPLICA IDENTITY FULL`);
  for (const [id, name] of rows) await admin.query(`INSERT INTO ${table} VALUES ($1, $2)`, [id, name]);
  return { table, slot: `slot_${n}` };
}

async function waitForSlot(slot: string): Promise<void> {
  await expect
    .poll(
      async () =>
        (await admin.query("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [slot])).rows[0]
          ?.active,
      { timeout: 20_000 },
    )
    .toBe(true);
}

async function events(messages: readonly Message[]): Promise<ChangeEvent[]> {
  return Promise.all(messages.map(async (m) => (await m.json()) as ChangeEvent));
}

function summary(event: ChangeEvent): string {
  const row = event.after ?? event.before;
  return `${event.operation} ${String(row?.id)} ${String(row?.name)}`;
}

describe("postgres-cdc", () => {
  it("streams inserts, updates and deletes in commit order with before and after images", async () => {
    const { table, slot } = await freshTable();
    const config = { connectionString: server.url, slot, tables: [table] };
    const run = runConsumer(postgresCdc, config, { maxMessages: 4, timeoutMs: 30_000 });
    run.catch(() => {});
    await waitForSlot(slot);
    await admin.query(`BEGIN; INSERT INTO ${table} VALUES (1, 'a'), (2, 'b'); COMMIT`);
    await admin.query(`UPDATE ${table} SET name = 'a2' WHERE id = 1`);
    await admin.query(`DELETE FROM ${table} WHERE id = 2`);
    const result = await run;
    expect(result.ended).toBe("maxMessages");
    const [insert1, insert2, update, remove] = await events(result.messages);
    expect(insert1).toMatchObject({
      table,
      schema: "public",
      operation: "insert",
      keys: { id: 1 },
      before: null,
      after: { id: 1, name: "a" },
    });
    expect(insert1?.lsn).toBe(insert2?.lsn);
    expect(insert1?.commitTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(update).toMatchObject({
      operation: "update",
      before: { id: 1, name: "a" },
      after: { id: 1, name: "a2" },
    });
    expect(remove).toMatchObject({
      operation: "delete",
      keys: { id: 2 },
      before: { id: 2, name: "b" },
      after: null,
    });
    expect(result.messages[2]?.headers).toMatchObject({
      "x-table": `public.${table}`,
      "x-operation": "update",
    });
    expect(result.checkpoint).toEqual({ lsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/) });
  });

  it("loses no change across a crash mid-transaction: the restart re-sends what was not acknowledged", async () => {
    const { table, slot } = await freshTable();
    const config = { connectionString: server.url, slot, tables: [table] };
    const state = new MemoryStateStore();
    const first = runConsumer(postgresCdc, config, {
      state,
      timeoutMs: 30_000,
      accept: (_m, index) => index < 3,
    });
    first.catch(() => {});
    await waitForSlot(slot);
    await admin.query(`INSERT INTO ${table} VALUES (1, 'a'), (2, 'b')`);
    await admin.query(`INSERT INTO ${table} VALUES (3, 'c'), (4, 'd'), (5, 'e')`);
    await admin.query(`INSERT INTO ${table} VALUES (6, 'f')`);
    const crashed = await first;
    expect(crashed.ended).toBe("rejected");
    expect((await events(crashed.messages)).map(summary)).toEqual(["insert 1 a", "insert 2 b", "insert 3 c"]);

    const second = await runConsumer(postgresCdc, config, { state, maxMessages: 3, timeoutMs: 30_000 });
    expect(second.duplicates).toBe(1);
    expect((await events(second.messages)).map(summary)).toEqual(["insert 4 d", "insert 5 e", "insert 6 f"]);
  });

  it("starts a recreated slot from the new slot, not from a position saved for the dropped one", async () => {
    const { table, slot } = await freshTable();
    const config = { connectionString: server.url, slot, tables: [table] };
    const state = new MemoryStateStore();
    const first = runConsumer(postgresCdc, config, { state, maxMessages: 2, timeoutMs: 30_000 });
    await waitForSlot(slot);
    for (let id = 1; id <= 2; id++) await admin.query(`INSERT INTO ${table} VALUES ($1, 'old')`, [id]);
    expect((await first).messages).toHaveLength(2);
    await admin.query("SELECT pg_drop_replication_slot($1)", [slot]);
    // As after restoring the database elsewhere: the saved position is ahead of the new server's.
    await state.set(CHECKPOINT_STATE_KEY, {
      ...((await state.get(CHECKPOINT_STATE_KEY)) as object),
      lsn: "FF/0",
    });
    const second = runConsumer(postgresCdc, config, { state, maxMessages: 1, timeoutMs: 15_000 });
    await waitForSlot(slot);
    await admin.query(`INSERT INTO ${table} VALUES (3, 'new')`);
    expect((await events((await second).messages)).map(summary)).toEqual(["insert 3 new"]);
  });

  it("emits the existing rows as snapshot operations, then streams later changes", async () => {
    const { table, slot } = await freshTable([
      [1, "a"],
      [2, "b"],
      [3, "c"],
    ]);
    const config = { connectionString: server.url, slot, tables: [table], snapshot: true };
    const state = new MemoryStateStore();
    const run = runConsumer(postgresCdc, config, { state, maxMessages: 4, timeoutMs: 30_000 });
    run.catch(() => {});
    await waitForSlot(slot);
    await admin.query(`INSERT INTO ${table} VALUES (4, 'd')`);
    const result = await run;
    const received = await events(result.messages);
    expect(received.map(summary)).toEqual(["snapshot 1 a", "snapshot 2 b", "snapshot 3 c", "insert 4 d"]);
    expect(received[0]).toMatchObject({ keys: { id: 1 }, before: null, commitTime: null });
    expect(result.checkpoint).toMatchObject({ snapshot: { done: true } });

    // A restart does not take the snapshot again.
    const restart = runConsumer(postgresCdc, config, { state, maxMessages: 1, timeoutMs: 30_000 });
    restart.catch(() => {});
    await waitForSlot(slot);
    await admin.query(`INSERT INTO ${table} VALUES (5, 'e')`);
    expect((await events((await restart).messages)).map(summary)).toEqual(["insert 5 e"]);
  });

  it("refuses a server without wal_level=logical, saying how to fix it", async () => {
    const config = { connectionString: SHARED_SERVER, slot: "never_created", tables: ["t"] };
    const error = await runConsumer(postgresCdc, config, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect((error as FatalError).message).toMatch(
      /wal_level=replica.*set wal_level=logical in postgresql\.conf.*restart/,
    );
  });

  it("names a missing table in a ConfigError", async () => {
    const config = { connectionString: server.url, slot: "missing_table", tables: ["public.nope"] };
    const error = await runConsumer(postgresCdc, config, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { path: "tables.0", message: expect.stringContaining("table public.nope does not exist") },
    ]);
  });

  it("refuses a user without the REPLICATION attribute, saying what to grant", async () => {
    await admin.query("CREATE ROLE app_user LOGIN PASSWORD 'app-pw'");
    const url = new URL(server.url);
    url.username = "app_user";
    url.password = "app-pw";
    const config = { connectionString: url.toString(), slot: "no_rights", tables: ["t"] };
    const error = await runConsumer(postgresCdc, config, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect((error as FatalError).message).toMatch(/user "app_user" .* needs the REPLICATION attribute/);
    expect((error as FatalError).message).not.toContain("app-pw");
  });
});

// The server starts in beforeAll; the checks read this object when they run.
const conformanceConfig = {
  connectionString: "postgres://placeholder",
  slot: "conformance",
  tables: ["conformance"],
};
describeConformance(postgresCdc, {
  config: conformanceConfig,
  invalidConfigs: [
    { config: { ...conformanceConfig, slot: "Bad-Slot" }, reason: "slot names are lower case" },
    {
      config: { ...conformanceConfig, publication: "x'; drop" },
      reason: "publication names are identifiers",
    },
  ],
  timeoutMs: 20_000,
  setup: async () => {
    conformanceConfig.connectionString = server.url;
    await admin.query("CREATE TABLE conformance (id int PRIMARY KEY, name text)");
    await admin.query("CREATE PUBLICATION vrsky_conformance FOR TABLE conformance");
    await admin.query("SELECT pg_create_logical_replication_slot('conformance', 'pgoutput')");
    for (let id = 1; id <= 30; id++)
      await admin.query("INSERT INTO conformance VALUES ($1, $2)", [id, `n${id}`]);
  },
});
