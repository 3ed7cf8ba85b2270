import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "./migrate.js";
import { createTestDatabase, type TestDatabase } from "./test-platform.js";

describe("migrate", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("applies every migration once, records it, and applies nothing on a second run", async () => {
    const first = await migrate(db.url);
    expect(first.applied).toContain("001-init");
    const second = await migrate(db.url);
    expect(second.applied).toEqual([]);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const recorded = await client.query<{ version: string }>("select version from schema_migrations");
      expect(recorded.rows.map((r) => r.version)).toEqual(first.applied);
      const tables = await client.query<{ tablename: string }>(
        "select tablename from pg_tables where schemaname = 'public' order by tablename",
      );
      expect(tables.rows.map((r) => r.tablename)).toEqual(
        expect.arrayContaining(["api_keys", "connector_versions", "connectors", "tenants"]),
      );
    } finally {
      await client.end();
    }
  });

  it("serialises concurrent runs so each migration is applied exactly once", async () => {
    const other = await createTestDatabase();
    try {
      const results = await Promise.all([migrate(other.url), migrate(other.url)]);
      expect(results.flatMap((r) => r.applied).filter((v) => v === "001-init")).toHaveLength(1);
    } finally {
      await other.drop();
    }
  });
});
