import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded-postgres.js";
import { ServiceUnavailableError } from "./service-unavailable-error.js";

describe("startEmbeddedPostgres", () => {
  it("runs a private server with logical replication, and stop() removes process and data", async () => {
    const db = await startEmbeddedPostgres({ database: "orders", user: "vrsky" });
    const { pid, dir } = db;
    try {
      expect(db.url).toMatch(/^postgres:\/\/vrsky:[^@]+@127\.0\.0\.1:\d+\/orders$/);
      expect(db.description).toContain("postgres://vrsky:***@127.0.0.1");
      const client = new pg.Client(db.url);
      await client.connect();
      try {
        const level = await client.query<{ wal_level: string }>("show wal_level");
        expect(level.rows[0]?.wal_level).toBe("logical");
        await client.query("create table orders (id int primary key, total numeric)");
        await client.query("create publication vrsky_orders for table orders");
        const slot = await client.query<{ slot_name: string }>(
          "select slot_name from pg_create_logical_replication_slot('vrsky_orders', 'pgoutput')",
        );
        expect(slot.rows[0]?.slot_name).toBe("vrsky_orders");
        await client.query("insert into orders values (1, 9.5)");
        const changes = await client.query<{ count: string }>(
          `select count(*) from pg_logical_slot_peek_binary_changes('vrsky_orders', null, null,
             'proto_version', '1', 'publication_names', 'vrsky_orders')`,
        );
        expect(Number(changes.rows[0]?.count)).toBeGreaterThan(0);
      } finally {
        await client.end();
      }
    } finally {
      await db.stop();
    }
    expect(existsSync(dir)).toBe(false);
    expect(() => process.kill(pid ?? 0, 0)).toThrow(/ESRCH/);
  });

  it("fails with an install hint when the Postgres binaries are missing", async () => {
    const error = await startEmbeddedPostgres({ binDir: "/nonexistent/bin" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(String(error)).toMatch(/\/nonexistent\/bin\/initdb is missing.*VRSKY_POSTGRES_URL/);
  });

  it("stops starting and removes its temp folder when the signal aborts", async () => {
    const parent = await mkdtemp(join(tmpdir(), "vrsky-pg-abort-"));
    await chmod(parent, 0o755); // under root, the "postgres" OS user must be able to enter it
    try {
      const controller = new AbortController();
      const starting = startEmbeddedPostgres({ tmpDir: parent, signal: controller.signal });
      await expect.poll(() => readdir(parent), { timeout: 10_000 }).toHaveLength(1);
      controller.abort(new Error("user pressed Ctrl-C"));
      await expect(starting).rejects.toThrow("user pressed Ctrl-C");
      expect(await readdir(parent)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it.runIf(process.getuid?.() === 0)(
    "explains when the postgres OS user cannot enter the tmpDir",
    async () => {
      const parent = await mkdtemp(join(tmpdir(), "vrsky-pg-closed-"));
      try {
        await expect(startEmbeddedPostgres({ tmpDir: parent })).rejects.toThrow(
          /"postgres" .* cannot enter .*vrsky-pg-closed-.*chmod o\+x/,
        );
      } finally {
        await rm(parent, { recursive: true, force: true });
      }
    },
  );
});
