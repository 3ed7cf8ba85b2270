import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SecretBox } from "../secret-box.js";
import { bearer, createTenantWithKey, startTestPlatform, type TestPlatform } from "../test-platform.js";

const VALUE = "xoxb-super-secret-value-42";

function slackSpec(name: string, secret: string): string {
  return [
    `name: ${name}`,
    "source:",
    "  connector: file-in",
    "  config: { directory: /tmp/vrsky-in, patterns: ['*.json'] }",
    "sinks:",
    "  slack:",
    "    connector: http-out",
    "    config:",
    "      url: https://hooks.example.com/orders",
    `      secretHeaders: { authorization: { $secret: ${secret} } }`,
    "",
  ].join("\n");
}

describe("secrets API", () => {
  let platform: TestPlatform;
  let a: { key: string; tenantId: string };
  let b: { key: string; tenantId: string };
  const call = (key: string, method: "GET" | "PUT" | "DELETE", url: string, payload?: object) =>
    platform.api.inject({ method, url, headers: bearer(key), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    platform = await startTestPlatform();
    a = await createTenantWithKey(platform.api, undefined, "alpha");
    b = await createTenantWithKey(platform.api, undefined, "beta");
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it("sets, replaces, lists without values and deletes a secret; stores it sealed", async () => {
    const created = await call(a.key, "PUT", "/v1/secrets/slack-token", { value: VALUE });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ name: "slack-token", created: true, restarting: [] });
    const replaced = await call(a.key, "PUT", "/v1/secrets/slack-token", { value: `${VALUE}-2` });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ created: false });

    const listed = await call(a.key, "GET", "/v1/secrets");
    expect(listed.json().items).toEqual([
      { name: "slack-token", createdAt: expect.any(String), updatedAt: expect.any(String), usedBy: [] },
    ]);
    expect(listed.body).not.toContain(VALUE);

    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ sealed: Buffer }>("select sealed from tenant_secrets");
      expect(rows).toHaveLength(1);
      const sealed = rows[0]?.sealed as Buffer;
      expect(sealed.toString("latin1")).not.toContain("xoxb");
      expect(platform.secrets.open(a.tenantId, "slack-token", sealed)).toBe(`${VALUE}-2`);
      // Bound to its tenant and name, and to the key.
      expect(() => platform.secrets.open(b.tenantId, "slack-token", sealed)).toThrow(/set it again/);
      expect(() => platform.secrets.open(a.tenantId, "other", sealed)).toThrow(/does not open/);
      expect(() => new SecretBox(randomBytes(32)).open(a.tenantId, "slack-token", sealed)).toThrow(
        /another key/,
      );
    } finally {
      await db.end();
    }

    expect((await call(a.key, "DELETE", "/v1/secrets/slack-token")).statusCode).toBe(204);
    const gone = await call(a.key, "DELETE", "/v1/secrets/slack-token");
    expect(gone.statusCode).toBe(404);
    expect(gone.json().detail).toMatch(/no secret "slack-token"/);
  });

  it("keeps tenants apart: B neither sees nor deletes A's secrets", async () => {
    await call(a.key, "PUT", "/v1/secrets/db-password", { value: VALUE });
    expect((await call(b.key, "GET", "/v1/secrets")).json().items).toEqual([]);
    expect((await call(b.key, "DELETE", "/v1/secrets/db-password")).statusCode).toBe(404);
    expect(
      (await call(a.key, "GET", "/v1/secrets")).json().items.map((s: { name: string }) => s.name),
    ).toContain("db-password");
  });

  it("refuses a bad name or an empty value with the field and the rule", async () => {
    const bad = await call(a.key, "PUT", "/v1/secrets/-bad", { value: VALUE });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/secret name is 1–128 letters/);
    const empty = await call(a.key, "PUT", "/v1/secrets/fine", { value: "" });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().issues[0].path).toBe("body.value");
  });

  it("needs the secrets scopes", async () => {
    const deployer = await createTenantWithKey(
      platform.api,
      ["integrations:read", "integrations:write"],
      "gamma",
    );
    const refused = await call(deployer.key, "PUT", "/v1/secrets/x", { value: VALUE });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/secrets:write/);
    expect((await call(deployer.key, "GET", "/v1/secrets")).statusCode).toBe(403);
  });

  it("refuses a spec naming a secret the tenant has not set, and records the ones it uses", async () => {
    const missing = await call(a.key, "PUT", "/v1/integrations/alerts", {
      spec: slackSpec("alerts", "hook-token"),
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().issues).toEqual([
      {
        path: "spec.sinks.slack.config.secretHeaders.authorization",
        message: expect.stringMatching(
          /secret "hook-token" is not set: set it with `vrsky secrets set hook-token` \(PUT \/v1\/secrets\/hook-token\), then deploy again/,
        ),
      },
    ]);
    const slashed = await call(a.key, "PUT", "/v1/integrations/alerts", {
      spec: slackSpec("alerts", "team/hook"),
    });
    expect(slashed.json().issues[0].message).toMatch(/no '\/'\); rename the reference/);
    await call(a.key, "PUT", "/v1/secrets/hook-token", { value: VALUE });
    expect(
      (await call(a.key, "PUT", "/v1/integrations/alerts", { spec: slackSpec("alerts", "hook-token") }))
        .statusCode,
    ).toBe(201);
    const listed = (await call(a.key, "GET", "/v1/secrets")).json().items;
    expect(listed.find((s: { name: string }) => s.name === "hook-token").usedBy).toEqual(["alerts"]);
    const replaced = await call(a.key, "PUT", "/v1/secrets/hook-token", { value: `${VALUE}-new` });
    expect(replaced.json().restarting).toEqual(["alerts"]);

    // In use: not deleted until no current version refers to it.
    const inUse = await call(a.key, "DELETE", "/v1/secrets/hook-token");
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json()).toMatchObject({ code: "IN_USE" });
    expect(inUse.json().detail).toMatch(/used by alerts; deploy it without it, or delete it, first/);
    // A version without it frees it; rolling back to one that needs it then says what is missing.
    const plain = slackSpec("alerts", "x").replace(
      "secretHeaders: { authorization: { $secret: x } }",
      "timeoutMs: 5000",
    );
    expect((await call(a.key, "PUT", "/v1/integrations/alerts", { spec: plain })).json()).toMatchObject({
      version: 2,
    });
    expect((await call(a.key, "DELETE", "/v1/secrets/hook-token")).statusCode).toBe(204);
    const rollback = await platform.api.inject({
      method: "POST",
      url: "/v1/integrations/alerts/rollback",
      headers: bearer(a.key),
      payload: { version: 1 },
    });
    expect(rollback.statusCode).toBe(422);
    expect(rollback.json().detail).toMatch(/version 1 refers to secret hook-token, no longer set/);
  });
});
