import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonFileTenantStore } from "./json-file-tenant-store.js";
import { tenantRecord } from "./test-tenants.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vrsky-tenant-store-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("JsonFileTenantStore", () => {
  it("survives a restart and keeps the file at mode 0600", async () => {
    const file = join(dir, "tenants.json");
    await new JsonFileTenantStore(file).put(tenantRecord("a"));
    expect(await new JsonFileTenantStore(file).get("a")).toEqual(tenantRecord("a"));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("reports a corrupt file as STATE_INVALID without quoting it", async () => {
    const file = join(dir, "tenants.json");
    await writeFile(file, '{"version":1,"tenants":{"a":{"signingKeySeed":"SACCC"');
    const error = await new JsonFileTenantStore(file).get("a").catch((e: Error) => e);
    expect(error).toMatchObject({ code: "STATE_INVALID" });
    expect(String(error)).not.toContain("SACCC");
  });
});
