import type { ConnectorManifest } from "@vrsky/sdk";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createTenantWithKey, startTestPlatform, type TestPlatform } from "../test-platform.js";

function spec(name: string, directory = "/tmp/vrsky-out"): string {
  return [
    `name: ${name}`,
    "source:",
    "  connector: file-in",
    "  config: { directory: /tmp/vrsky-in, patterns: ['*.json'] }",
    "sinks:",
    "  out:",
    "    connector: file-out",
    `    config: { directory: ${directory} }`,
    "",
  ].join("\n");
}

const upperManifest: ConnectorManifest = {
  manifestVersion: 1,
  kind: "converter",
  name: "acme-upper",
  version: "1.2.0",
  description: "Upper-cases a field.",
  categories: [],
  config: {
    type: "object",
    properties: { field: { type: "string" } },
    required: ["field"],
    additionalProperties: false,
  },
  secrets: [],
  examples: [],
} as unknown as ConnectorManifest;

describe("integrations API", () => {
  let platform: TestPlatform;
  let a: { key: string; tenantId: string };
  let b: { key: string; tenantId: string };
  const deploy = (key: string, name: string, body: { spec: string }) =>
    platform.api.inject({
      method: "PUT",
      url: `/v1/integrations/${name}`,
      headers: bearer(key),
      payload: body,
    });
  const get = (key: string, url: string) => platform.api.inject({ method: "GET", url, headers: bearer(key) });

  beforeAll(async () => {
    platform = await startTestPlatform({
      plans: { free: { maxIntegrations: 2, maxMessagesPerDay: 1000 } },
    });
    a = await createTenantWithKey(platform.api, undefined, "tenant-a");
    b = await createTenantWithKey(platform.api, undefined, "tenant-b");
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it("deploys a spec as version 1, makes a new version only when the spec changes, and rolls back", async () => {
    const first = await deploy(a.key, "orders", { spec: spec("orders") });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ name: "orders", version: 1, created: true, changed: true });
    const same = await deploy(a.key, "orders", { spec: spec("orders") });
    expect(same.json()).toEqual({ name: "orders", version: 1, created: false, changed: false });
    const second = await deploy(a.key, "orders", { spec: spec("orders", "/tmp/vrsky-other") });
    expect(second.json()).toMatchObject({ version: 2, changed: true });

    const back = await platform.api.inject({
      method: "POST",
      url: "/v1/integrations/orders/rollback",
      headers: bearer(a.key),
      payload: { version: 1 },
    });
    expect(back.json()).toMatchObject({ version: 3 });
    const v3 = await get(a.key, "/v1/integrations/orders/versions/3");
    expect(v3.json().spec).toBe(spec("orders"));
    const detail = await get(a.key, "/v1/integrations/orders");
    expect(detail.json()).toMatchObject({
      name: "orders",
      currentVersion: 3,
      desiredState: "running",
      status: null,
    });
    expect(detail.json().versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
  });

  it("refuses an invalid spec with every problem, its path and line", async () => {
    const bad = spec("broken")
      .replace("directory: /tmp/vrsky-out", "directory: 42")
      .replace("file-in", "file-inn");
    const res = await deploy(a.key, "broken", { spec: bad });
    expect(res.statusCode).toBe(422);
    const problem = res.json();
    expect(problem.code).toBe("INVALID_SPEC");
    const paths = problem.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(["spec.source.connector", "spec.sinks.out.config.directory"]),
    );
    expect(problem.issues.find((i: { path: string }) => i.path === "spec.source.connector").message).toMatch(
      /^line 3: .*file-in/,
    );
    expect((await get(a.key, "/v1/integrations/broken")).statusCode).toBe(404);
    const misnamed = await deploy(a.key, "other-name", { spec: spec("orders") });
    expect(misnamed.json()).toMatchObject({ code: "INVALID_SPEC" });
  });

  it("pins registry connectors to an exact bundle and checks their config against the manifest schema", async () => {
    const published = await platform.api.inject({
      method: "POST",
      url: "/v1/connectors",
      headers: bearer(a.key),
      payload: {
        manifest: upperManifest,
        bundle: Buffer.from("export default {}").toString("base64"),
        visibility: "private",
      },
    });
    expect(published.statusCode).toBe(201);
    const withStep = (config: string) =>
      spec("upper").replace(
        "sinks:",
        `steps:\n  - name: up\n    connector: registry:acme-upper@1\n    config: ${config}\nsinks:`,
      );
    const bad = await platform.api.inject({
      method: "POST",
      url: "/v1/integrations/validate",
      headers: bearer(a.key),
      payload: { spec: withStep("{ colour: red }") },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^spec\.steps\[0\]\.config/)]),
    );
    const good = await platform.api.inject({
      method: "POST",
      url: "/v1/integrations/validate",
      headers: bearer(a.key),
      payload: { spec: withStep("{ field: name }") },
    });
    expect(good.statusCode).toBe(200);
    expect(good.json().connectors).toEqual([
      expect.objectContaining({
        ref: "registry:acme-upper@1",
        name: "acme-upper",
        version: "1.2.0",
        sha256: published.json().sha256,
      }),
    ]);
    // Tenant B cannot see A's private connector.
    const other = await platform.api.inject({
      method: "POST",
      url: "/v1/integrations/validate",
      headers: bearer(b.key),
      payload: { spec: withStep("{ field: name }") },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().detail).toMatch(/no registry connector "acme-upper" is visible/);
  });

  it("keeps tenants apart: B neither sees nor changes A's integrations", async () => {
    expect((await get(b.key, "/v1/integrations")).json().items).toEqual([]);
    expect((await get(b.key, "/v1/integrations/orders")).statusCode).toBe(404);
    const stop = await platform.api.inject({
      method: "POST",
      url: "/v1/integrations/orders/stop",
      headers: bearer(b.key),
    });
    expect(stop.statusCode).toBe(404);
    const del = await platform.api.inject({
      method: "DELETE",
      url: "/v1/integrations/orders",
      headers: bearer(b.key),
    });
    expect(del.statusCode).toBe(404);
    for (const [method, url, payload] of [
      ["GET", "/v1/integrations/orders/versions/1", undefined],
      ["GET", "/v1/integrations/orders/logs", undefined],
      ["GET", "/v1/integrations/orders/dlq", undefined],
      ["POST", "/v1/integrations/orders/dlq/replay", { all: true }],
      ["POST", "/v1/integrations/orders/dlq/purge", { all: true }],
      ["POST", "/v1/integrations/orders/rollback", { version: 1 }],
      ["POST", "/v1/integrations/orders/start", undefined],
    ] as const) {
      const res = await platform.api.inject({
        method,
        url,
        headers: bearer(b.key),
        ...(payload ? { payload } : {}),
      });
      expect(`${method} ${url} ${res.statusCode}`).toBe(`${method} ${url} 404`);
    }
    // B may use the same name for its own integration.
    expect((await deploy(b.key, "orders", { spec: spec("orders") })).statusCode).toBe(201);
    expect((await get(a.key, "/v1/integrations/orders")).json().currentVersion).toBe(3);
  });

  it("stops and starts, announcing each change to the orchestrator's channel", async () => {
    const listener = new pg.Client({ connectionString: platform.databaseUrl });
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (n) => heard.push(`${n.channel}:${n.payload}`));
    await listener.query("listen vrsky_integrations");
    try {
      const stopped = await platform.api.inject({
        method: "POST",
        url: "/v1/integrations/orders/stop",
        headers: bearer(a.key),
      });
      expect(stopped.json().desiredState).toBe("stopped");
      const started = await platform.api.inject({
        method: "POST",
        url: "/v1/integrations/orders/start",
        headers: bearer(a.key),
      });
      expect(started.json().desiredState).toBe("running");
      await expect.poll(() => heard.length).toBe(2);
      expect(heard).toEqual([`vrsky_integrations:${a.tenantId}`, `vrsky_integrations:${a.tenantId}`]);
    } finally {
      await listener.end();
    }
  });

  it("enforces the plan's integration quota with a clear error, and frees a slot on delete", async () => {
    expect((await deploy(a.key, "second", { spec: spec("second") })).statusCode).toBe(201);
    const third = await deploy(a.key, "third", { spec: spec("third") });
    expect(third.statusCode).toBe(403);
    expect(third.json()).toMatchObject({ code: "QUOTA_EXCEEDED" });
    expect(third.json().detail).toMatch(/allows 2 integrations/);
    const del = await platform.api.inject({
      method: "DELETE",
      url: "/v1/integrations/second",
      headers: bearer(a.key),
    });
    expect(del.statusCode).toBe(204);
    expect((await deploy(a.key, "third", { spec: spec("third") })).statusCode).toBe(201);
  });

  it("needs the integrations scopes", async () => {
    const readOnly = await createTenantWithKey(platform.api, ["integrations:read"], "reader");
    expect((await get(readOnly.key, "/v1/integrations")).statusCode).toBe(200);
    const res = await deploy(readOnly.key, "orders", { spec: spec("orders") });
    expect(res.statusCode).toBe(403);
    expect((await get("vrsky_wrong", "/v1/integrations")).statusCode).toBe(401);
  });
});
