import { createHash } from "node:crypto";
import type { ConnectorManifest } from "@vrsky/sdk";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  createTenantWithKey,
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPlatform,
} from "../test-platform.js";

const CONFIG = {
  type: "object",
  properties: {
    url: { type: "string" },
    mode: { type: "string", enum: ["json", "text"] },
    retries: { type: "integer" },
  },
  required: ["url"],
};

function manifest(
  name: string,
  version: string,
  overrides: Partial<ConnectorManifest> = {},
): ConnectorManifest {
  return {
    manifestVersion: 1,
    kind: "producer",
    name,
    version,
    description: `${name} sends messages somewhere`,
    categories: ["http"],
    config: CONFIG,
    secrets: [],
    examples: [],
    ...overrides,
  };
}

describe("connector registry", () => {
  let platform: TestPlatform;
  let a: { tenantId: string; key: string };
  let b: { tenantId: string; key: string };

  const publish = (
    key: string,
    m: ConnectorManifest,
    visibility: "public" | "private" = "public",
    bundle = `bundle of ${m.name}@${m.version}`,
  ) =>
    platform.api.inject({
      method: "POST",
      url: "/v1/connectors",
      headers: bearer(key),
      payload: { manifest: m, bundle: Buffer.from(bundle).toString("base64"), visibility },
    });
  const get = (key: string, url: string) => platform.api.inject({ method: "GET", url, headers: bearer(key) });
  const yank = (key: string, name: string, version: string) =>
    platform.api.inject({
      method: "POST",
      url: `/v1/connectors/${name}/versions/${version}/yank`,
      headers: bearer(key),
    });

  beforeAll(async () => {
    platform = await startTestPlatform();
    a = await createTenantWithKey(platform.api, undefined, "tenant-a");
    b = await createTenantWithKey(platform.api, undefined, "tenant-b");
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it("round-trips publish, search, detail and bundle download with the bundle's sha256", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 10, 13]);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const res = await platform.api.inject({
      method: "POST",
      url: "/v1/connectors",
      headers: bearer(a.key),
      payload: {
        manifest: manifest("round-trip", "1.0.0"),
        bundle: bytes.toString("base64"),
        visibility: "public",
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      name: "round-trip",
      version: "1.0.0",
      visibility: "public",
      sha256,
      size: 8,
    });

    const search = await get(b.key, "/v1/connectors?q=ROUND&kind=producer&category=http");
    expect(search.json().items).toEqual([
      expect.objectContaining({
        name: "round-trip",
        latest: "1.0.0",
        kind: "producer",
        visibility: "public",
      }),
    ]);
    expect((await get(b.key, "/v1/connectors?kind=consumer")).json().items).toEqual([]);
    expect((await get(b.key, "/v1/connectors?category=database")).json().items).toEqual([]);

    const detail = await get(b.key, "/v1/connectors/round-trip");
    expect(detail.json()).toMatchObject({
      name: "round-trip",
      latest: "1.0.0",
      config: CONFIG,
      versions: [{ version: "1.0.0", sha256, size: 8, yanked: false }],
    });

    const bundle = await get(b.key, "/v1/connectors/round-trip/versions/1.0.0/bundle");
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers["content-type"]).toBe("application/octet-stream");
    expect(bundle.headers["x-vrsky-sha256"]).toBe(sha256);
    expect(bundle.rawPayload.equals(bytes)).toBe(true);
  });

  it("rejects re-publishing an existing version with 409 VERSION_EXISTS", async () => {
    expect((await publish(a.key, manifest("immutable", "1.0.0"))).statusCode).toBe(201);
    const again = await publish(a.key, manifest("immutable", "1.0.0"), "public", "other bytes");
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: "VERSION_EXISTS", status: 409 });
  });

  it("rejects publishing under a public name another tenant owns", async () => {
    expect((await publish(a.key, manifest("owned-by-a", "1.0.0"))).statusCode).toBe(201);
    const res = await publish(b.key, manifest("owned-by-a", "2.0.0"));
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe("NAME_TAKEN");
  });

  it("reports every invalid manifest field with its path", async () => {
    const res = await platform.api.inject({
      method: "POST",
      url: "/v1/connectors",
      headers: bearer(a.key),
      payload: {
        manifest: { ...manifest("Bad Name", "1.0"), kind: "sink" },
        bundle: "!!!",
        visibility: "public",
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe("VALIDATION_FAILED");
    expect(
      res
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.bundle", "body.manifest.kind", "body.manifest.name", "body.manifest.version"]);
  });

  const breaking = [
    {
      change: "a removed property",
      config: { ...CONFIG, properties: { url: CONFIG.properties.url, mode: CONFIG.properties.mode } },
      kind: "removed-property",
    },
    {
      change: "a newly required property",
      config: { ...CONFIG, required: ["url", "mode"] },
      kind: "newly-required",
    },
    {
      change: "a changed type",
      config: { ...CONFIG, properties: { ...CONFIG.properties, retries: { type: "string" } } },
      kind: "changed-type",
    },
    {
      change: "a narrowed enum",
      config: { ...CONFIG, properties: { ...CONFIG.properties, mode: { type: "string", enum: ["json"] } } },
      kind: "narrowed-enum",
    },
  ];
  for (const [index, { change, config, kind }] of breaking.entries()) {
    it(`rejects a minor with ${change} as 422 BREAKING_CHANGE and accepts it as the next major`, async () => {
      const name = `breaking-${index}`;
      expect((await publish(a.key, manifest(name, "1.0.0"))).statusCode).toBe(201);
      const minor = await publish(a.key, manifest(name, "1.1.0", { config }));
      expect(minor.statusCode).toBe(422);
      const problem = minor.json();
      expect(problem.code).toBe("BREAKING_CHANGE");
      expect(problem.detail).toContain("Publish as 2.0.0");
      expect(problem.issues).toEqual([expect.objectContaining({ message: expect.stringContaining(kind) })]);
      const major = await publish(a.key, manifest(name, "2.0.0", { config }));
      expect(major.statusCode).toBe(201);
    });
  }

  it("accepts a compatible minor and compares against the latest non-yanked version of its major", async () => {
    const widened = { ...CONFIG, properties: { ...CONFIG.properties, extra: { type: "boolean" } } };
    expect((await publish(a.key, manifest("compat", "1.0.0"))).statusCode).toBe(201);
    expect((await publish(a.key, manifest("compat", "1.1.0", { config: widened }))).statusCode).toBe(201);
    // 1.1.0 added `extra`; once it is yanked, dropping `extra` again is no longer breaking.
    expect((await yank(a.key, "compat", "1.1.0")).statusCode).toBe(200);
    expect((await publish(a.key, manifest("compat", "1.2.0"))).statusCode).toBe(201);
  });

  it("hides a yanked version from latest while keeping it in the detail and downloadable", async () => {
    expect((await publish(a.key, manifest("yankable", "1.0.0"))).statusCode).toBe(201);
    expect((await publish(a.key, manifest("yankable", "1.0.1"))).statusCode).toBe(201);
    const res = await yank(a.key, "yankable", "1.0.1");
    expect(res.json()).toMatchObject({ version: "1.0.1", yanked: true });

    const search = await get(b.key, "/v1/connectors?q=yankable");
    expect(search.json().items).toEqual([expect.objectContaining({ name: "yankable", latest: "1.0.0" })]);
    const detail = await get(b.key, "/v1/connectors/yankable");
    expect(detail.json().latest).toBe("1.0.0");
    expect(detail.json().versions).toEqual([
      expect.objectContaining({ version: "1.0.1", yanked: true }),
      expect.objectContaining({ version: "1.0.0", yanked: false }),
    ]);
    expect((await get(b.key, "/v1/connectors/yankable/versions/1.0.1/bundle")).statusCode).toBe(200);

    expect((await yank(a.key, "yankable", "1.0.0")).statusCode).toBe(200);
    expect((await get(b.key, "/v1/connectors?q=yankable")).json().items).toEqual([]);
  });

  it("keeps a private connector invisible to other tenants, answering 404 rather than 403", async () => {
    expect((await publish(a.key, manifest("secret-sauce", "1.0.0"), "private")).statusCode).toBe(201);
    expect((await get(a.key, "/v1/connectors?q=secret-sauce")).json().items).toHaveLength(1);
    expect((await get(b.key, "/v1/connectors?q=secret-sauce")).json().items).toEqual([]);
    for (const url of ["/v1/connectors/secret-sauce", "/v1/connectors/secret-sauce/versions/1.0.0/bundle"]) {
      const res = await get(b.key, url);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe("NOT_FOUND");
    }
    const yanked = await yank(b.key, "secret-sauce", "1.0.0");
    expect(yanked.statusCode).toBe(404);
    expect((await get(a.key, "/v1/connectors/secret-sauce")).json().latest).toBe("1.0.0");
  });

  it("forbids yanking another tenant's public connector", async () => {
    expect((await publish(a.key, manifest("public-of-a", "1.0.0"))).statusCode).toBe(201);
    const res = await yank(b.key, "public-of-a", "1.0.0");
    expect(res.statusCode).toBe(403);
    expect((await get(b.key, "/v1/connectors/public-of-a")).json().latest).toBe("1.0.0");
  });

  it("lets another tenant reuse a private name without seeing the first one", async () => {
    expect((await publish(a.key, manifest("shared-private", "1.0.0"), "private")).statusCode).toBe(201);
    expect((await publish(b.key, manifest("shared-private", "3.0.0"), "private")).statusCode).toBe(201);
    expect((await get(a.key, "/v1/connectors/shared-private")).json().latest).toBe("1.0.0");
    expect((await get(b.key, "/v1/connectors/shared-private")).json().latest).toBe("3.0.0");
  });

  it("deleting a tenant removes its private connectors but keeps its public ones", async () => {
    const c = await createTenantWithKey(platform.api, undefined, "tenant-c");
    expect((await publish(c.key, manifest("c-private", "1.0.0"), "private")).statusCode).toBe(201);
    expect((await publish(c.key, manifest("c-public", "1.0.0"))).statusCode).toBe(201);
    const del = await platform.api.inject({
      method: "DELETE",
      url: `/v1/tenants/${c.tenantId}`,
      headers: bearer(TEST_ADMIN_TOKEN),
    });
    expect(del.statusCode).toBe(204);
    expect((await get(a.key, "/v1/connectors/c-public")).statusCode).toBe(200);
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      const rows = await db.query(
        "select name, tenant_id from connectors where name like 'c-%' order by name",
      );
      expect(rows.rows).toEqual([{ name: "c-public", tenant_id: null }]);
    } finally {
      await db.end();
    }
    await expect(platform.bundles.get(`${c.tenantId}/c-private/1.0.0.bundle`)).rejects.toThrow();
    expect(await platform.bundles.get(`${c.tenantId}/c-public/1.0.0.bundle`)).toBeInstanceOf(Uint8Array);
  });
});
