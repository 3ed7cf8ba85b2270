import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonFileTenantStore } from "./json-file-tenant-store.js";
import { MemoryTenantStore, type TenantStore } from "./tenant-store.js";
import { tenantRecord } from "./test-tenants.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vrsky-tenant-store-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const stores: [string, () => TenantStore][] = [
  ["MemoryTenantStore", () => new MemoryTenantStore()],
  ["JsonFileTenantStore", () => new JsonFileTenantStore(join(dir, "tenants.json"))],
];

describe.each(stores)("%s", (_name, makeStore) => {
  it("puts, gets, lists and deletes records", async () => {
    const store = makeStore();
    await store.put(tenantRecord("a"));
    await store.put(tenantRecord("b"));
    expect(await store.get("a")).toEqual(tenantRecord("a"));
    expect((await store.list()).map((r) => r.id).sort()).toEqual(["a", "b"]);
    await store.delete("a");
    await store.delete("never-there");
    expect(await store.get("a")).toBeUndefined();
    expect((await store.list()).map((r) => r.id)).toEqual(["b"]);
  });

  it("returns copies, so changing a returned record does not change the store", async () => {
    const store = makeStore();
    await store.put(tenantRecord("a"));
    const got = await store.get("a");
    got?.users.splice(0);
    expect((await store.get("a"))?.users).toHaveLength(1);
  });

  it("keeps every record when many are put at once", async () => {
    const store = makeStore();
    const ids = Array.from({ length: 20 }, (_, i) => `t${i}`);
    await Promise.all(ids.map((id) => store.put(tenantRecord(id))));
    expect((await store.list()).map((r) => r.id).sort()).toEqual([...ids].sort());
  });
});
