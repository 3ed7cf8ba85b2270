import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  createTenantWithKey,
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPlatform,
} from "./test-platform.js";

const TENANT = "00000000-0000-4000-8000-000000000000";
const KEY = "00000000-0000-4000-8000-000000000001";

/** Every /v1 endpoint, with a body that would pass validation. */
const ENDPOINTS: { method: InjectOptions["method"]; url: string; payload?: object }[] = [
  { method: "POST", url: "/v1/tenants", payload: { name: "x" } },
  { method: "GET", url: "/v1/tenants" },
  { method: "PATCH", url: `/v1/tenants/${TENANT}`, payload: { plan: "pro" } },
  { method: "DELETE", url: `/v1/tenants/${TENANT}` },
  { method: "POST", url: `/v1/tenants/${TENANT}/keys`, payload: { scopes: ["registry:read"] } },
  { method: "POST", url: "/v1/keys", payload: { scopes: ["registry:read"] } },
  { method: "GET", url: "/v1/keys" },
  { method: "DELETE", url: `/v1/keys/${KEY}` },
  { method: "POST", url: "/v1/connectors", payload: {} },
  { method: "GET", url: "/v1/connectors" },
  { method: "GET", url: "/v1/connectors/some-connector" },
  { method: "GET", url: "/v1/connectors/some-connector/versions/1.0.0/bundle" },
  { method: "POST", url: "/v1/connectors/some-connector/versions/1.0.0/yank" },
  { method: "POST", url: "/v1/integrations/validate", payload: { spec: "name: x" } },
  { method: "GET", url: "/v1/integrations" },
  { method: "PUT", url: "/v1/integrations/orders", payload: { spec: "name: orders" } },
  { method: "GET", url: "/v1/integrations/orders" },
  { method: "DELETE", url: "/v1/integrations/orders" },
  { method: "GET", url: "/v1/integrations/orders/versions/1" },
  { method: "GET", url: "/v1/integrations/orders/logs" },
  { method: "POST", url: "/v1/integrations/orders/rollback", payload: { version: 1 } },
  { method: "POST", url: "/v1/integrations/orders/start" },
  { method: "POST", url: "/v1/integrations/orders/stop" },
  { method: "GET", url: "/v1/integrations/orders/dlq" },
  { method: "GET", url: "/v1/integrations/orders/dlq/1" },
  { method: "POST", url: "/v1/integrations/orders/dlq/replay", payload: { all: true } },
  { method: "POST", url: "/v1/integrations/orders/dlq/purge", payload: { all: true } },
  { method: "GET", url: "/v1/secrets" },
  { method: "PUT", url: "/v1/secrets/slack-token", payload: { value: "xoxb" } },
  { method: "DELETE", url: "/v1/secrets/slack-token" },
];

describe("authentication and keys", () => {
  let platform: TestPlatform;
  let revokedKey: string;
  beforeAll(async () => {
    platform = await startTestPlatform();
    const tenant = await createTenantWithKey(platform.api);
    const revoke = await platform.api.inject({
      method: "DELETE",
      url: `/v1/keys/${tenant.keyId}`,
      headers: bearer(tenant.key),
    });
    expect(revoke.statusCode).toBe(204);
    revokedKey = tenant.key;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const credentials = [
    { case: "a missing key", headers: () => ({}) },
    { case: "a wrong key", headers: () => bearer("vrsky_not-a-real-key") },
    { case: "a wrong admin token", headers: () => bearer("not-the-admin-token-at-all") },
    { case: "a revoked key", headers: () => bearer(revokedKey) },
  ];
  it("covers every authenticated route of the OpenAPI document", async () => {
    const doc = (await platform.api.inject({ method: "GET", url: "/openapi.json" })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const tested = new Set(ENDPOINTS.map((e) => `${e.method} ${e.url.replace(/\/[0-9a-f-]{36}/g, "/{id}")}`));
    const toTemplate = (route: string) =>
      route
        .replace("/v1/connectors/{name}", "/v1/connectors/some-connector")
        .replace("/v1/integrations/{name}", "/v1/integrations/orders")
        .replace("/v1/secrets/{name}", "/v1/secrets/slack-token")
        .replace("{version}", route.includes("integrations") ? "1" : "1.0.0")
        .replace("{seq}", "1");
    expect(documented.map(toTemplate).filter((r) => !tested.has(r))).toEqual([]);
  });

  for (const endpoint of ENDPOINTS) {
    for (const credential of credentials) {
      it(`rejects ${credential.case} on ${endpoint.method} ${endpoint.url} with a 401 problem`, async () => {
        const res = await platform.api.inject({ ...endpoint, headers: credential.headers() });
        expect(res.statusCode).toBe(401);
        expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
        expect(res.json()).toMatchObject({ status: 401, code: "UNAUTHENTICATED", title: expect.any(String) });
        expect(res.body).not.toContain("vrsky_not-a-real-key");
      });
    }
  }

  it("stores only the hash and prefix of a key and never lists its secret", async () => {
    const { key } = await createTenantWithKey(platform.api, ["keys:read"]);
    const res = await platform.api.inject({ method: "GET", url: "/v1/keys", headers: bearer(key) });
    expect(res.statusCode).toBe(200);
    const [listed] = res.json().items;
    expect(listed).not.toHaveProperty("secret");
    expect(key.startsWith(listed.prefix)).toBe(true);
    expect(res.body).not.toContain(key);
  });

  it("answers 403 when the key lacks the scope the endpoint needs", async () => {
    const { key } = await createTenantWithKey(platform.api, ["registry:read"]);
    const res = await platform.api.inject({ method: "GET", url: "/v1/keys", headers: bearer(key) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: "FORBIDDEN", detail: expect.stringContaining("keys:read") });
  });

  it("answers 403 when a tenant key calls an admin endpoint", async () => {
    const { key } = await createTenantWithKey(platform.api);
    const res = await platform.api.inject({ method: "GET", url: "/v1/tenants", headers: bearer(key) });
    expect(res.statusCode).toBe(403);
  });

  it("answers 403 for every key of a suspended tenant and accepts it again once resumed", async () => {
    const { tenantId, key } = await createTenantWithKey(platform.api);
    const suspend = await platform.api.inject({
      method: "PATCH",
      url: `/v1/tenants/${tenantId}`,
      headers: bearer(TEST_ADMIN_TOKEN),
      payload: { suspended: true },
    });
    expect(suspend.json()).toMatchObject({ suspended: true });
    const denied = await platform.api.inject({ method: "GET", url: "/v1/connectors", headers: bearer(key) });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe("FORBIDDEN");
    await platform.api.inject({
      method: "PATCH",
      url: `/v1/tenants/${tenantId}`,
      headers: bearer(TEST_ADMIN_TOKEN),
      payload: { suspended: false },
    });
    const allowed = await platform.api.inject({ method: "GET", url: "/v1/connectors", headers: bearer(key) });
    expect(allowed.statusCode).toBe(200);
  });

  it("lets a key with keys:write create a key but not one with scopes it lacks", async () => {
    const { key } = await createTenantWithKey(platform.api, ["keys:write", "registry:read"]);
    const ok = await platform.api.inject({
      method: "POST",
      url: "/v1/keys",
      headers: bearer(key),
      payload: { name: "ci", scopes: ["registry:read"] },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().secret).toMatch(/^vrsky_/);
    const created = await platform.api.inject({
      method: "GET",
      url: "/v1/connectors",
      headers: bearer(ok.json().secret),
    });
    expect(created.statusCode).toBe(200);
    const escalate = await platform.api.inject({
      method: "POST",
      url: "/v1/keys",
      headers: bearer(key),
      payload: { scopes: ["registry:write"] },
    });
    expect(escalate.statusCode).toBe(403);
  });

  it("answers 404 when a tenant tries to revoke another tenant's key", async () => {
    const a = await createTenantWithKey(platform.api, ["keys:write"], "a");
    const b = await createTenantWithKey(platform.api, ["registry:read"], "b");
    const res = await platform.api.inject({
      method: "DELETE",
      url: `/v1/keys/${b.keyId}`,
      headers: bearer(a.key),
    });
    expect(res.statusCode).toBe(404);
    const still = await platform.api.inject({ method: "GET", url: "/v1/connectors", headers: bearer(b.key) });
    expect(still.statusCode).toBe(200);
  });

  it("deleting a tenant makes its keys invalid", async () => {
    const { tenantId, key } = await createTenantWithKey(platform.api);
    const del = await platform.api.inject({
      method: "DELETE",
      url: `/v1/tenants/${tenantId}`,
      headers: bearer(TEST_ADMIN_TOKEN),
    });
    expect(del.statusCode).toBe(204);
    const res = await platform.api.inject({ method: "GET", url: "/v1/connectors", headers: bearer(key) });
    expect(res.statusCode).toBe(401);
    const again = await platform.api.inject({
      method: "DELETE",
      url: `/v1/tenants/${tenantId}`,
      headers: bearer(TEST_ADMIN_TOKEN),
    });
    expect(again.json().code).toBe("NOT_FOUND");
  });

  it("lists created tenants and reports every invalid field of a tenant body at once", async () => {
    const bad = await platform.api.inject({
      method: "POST",
      url: "/v1/tenants",
      headers: bearer(TEST_ADMIN_TOKEN),
      payload: { name: "", plan: 3 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.name", "body.plan"]);
    const list = await platform.api.inject({
      method: "GET",
      url: "/v1/tenants",
      headers: bearer(TEST_ADMIN_TOKEN),
    });
    expect(list.json().items.length).toBeGreaterThan(0);
  });
});

describe("rate limiting", () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ rateLimit: { max: 2, timeWindow: 60_000 } });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it("answers 429 with Retry-After once a key spends its budget, without affecting other keys", async () => {
    const a = await createTenantWithKey(platform.api, ["registry:read"], "a");
    const b = await createTenantWithKey(platform.api, ["registry:read"], "b");
    const call = (key: string) =>
      platform.api.inject({ method: "GET", url: "/v1/connectors", headers: bearer(key) });
    expect((await call(a.key)).statusCode).toBe(200);
    expect((await call(a.key)).statusCode).toBe(200);
    const limited = await call(a.key);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    expect((await call(b.key)).statusCode).toBe(200);
  });
});
