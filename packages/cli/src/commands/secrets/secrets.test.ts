import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliPlatform, startCliPlatform, type TenantCli } from "../../../test/platform-cli.js";
import { parseJson } from "../../../test/run-cli.js";
import type { Failure } from "../../failure.js";
import type { SecretsListResult } from "./list.js";
import type { SecretsSetResult } from "./set.js";

const SCOPES = ["integrations:read", "integrations:write", "secrets:read", "secrets:write"];
const VALUE = "xoxb-cli-secret-value";

const spec = `name: alerts
source:
  connector: file-in
  config: { directory: /tmp/vrsky-alerts, patterns: ['*.json'] }
sinks:
  slack:
    connector: http-out
    config: { url: 'https://hooks.example.com/x', secretHeaders: { authorization: { $secret: slack-token } } }
`;

describe("vrsky secrets", () => {
  let env: CliPlatform;
  let a: TenantCli;

  beforeAll(async () => {
    env = await startCliPlatform();
    a = await env.tenant("a", { scopes: SCOPES });
  });
  afterAll(() => env?.stop());

  it("sets a secret from stdin or an environment variable, lists it without its value, and deletes it", async () => {
    const piped = await a.run(["secrets", "set", "slack-token"], { input: `${VALUE}\n` });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toContain(`Created secret slack-token in ${env.url}`);
    expect(piped.stdout).toContain("refer to it in a spec's config as { $secret: slack-token }");
    const stored = await env.db.query<{ sealed: Buffer }>("select sealed from tenant_secrets");
    expect(env.platform.secrets.open(a.tenantId, "slack-token", stored.rows[0]?.sealed as Buffer)).toBe(
      VALUE,
    );

    const fromEnv = parseJson<SecretsSetResult>(
      await a.run(["secrets", "set", "db-password", "--from-env", "DB_PASSWORD", "--json"], {
        env: { DB_PASSWORD: "hunter2-but-longer" },
      }),
    );
    expect(fromEnv).toEqual({ name: "db-password", created: true, restarting: [], url: env.url });

    const listed = await a.run(["secrets", "list"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/NAME\s+UPDATED\s+USED BY\ndb-password\s+\d{4}-.*-\nslack-token\s+\d{4}-/);
    expect(listed.stdout + listed.stderr).not.toContain(VALUE);
    const json = parseJson<SecretsListResult>(await a.run(["secrets", "list", "--json"]));
    expect(json.secrets.map((s) => s.name)).toEqual(["db-password", "slack-token"]);

    const deleted = await a.run(["secrets", "delete", "db-password"]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain("Deleted secret db-password");
    const again = await a.run(["secrets", "delete", "db-password"]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/no secret "db-password"; `vrsky secrets list` lists them/);
  });

  it("says where a secret is used, and refuses to delete it while it is", async () => {
    await a.run(["secrets", "set", "slack-token"], { input: VALUE });
    const put = await env.platform.api.inject({
      method: "PUT",
      url: "/v1/integrations/alerts",
      headers: { authorization: `Bearer ${a.key}` },
      payload: { spec },
    });
    expect(put.statusCode, put.body).toBe(201);
    const replaced = parseJson<SecretsSetResult>(
      await a.run(["secrets", "set", "slack-token", "--json"], { input: `${VALUE}-2` }),
    );
    expect(replaced).toMatchObject({ created: false, restarting: ["alerts"] });
    expect((await a.run(["secrets", "list"])).stdout).toMatch(/slack-token\s+\d{4}-.*\s+alerts/);
    const refused = parseJson<{ error: Failure }>(
      await a.run(["secrets", "delete", "slack-token", "--json"]),
    );
    expect(refused.error.message).toMatch(/secret "slack-token" is used by alerts/);
  });

  it("refuses a bad name, an empty value, and a missing variable before calling the platform", async () => {
    const bad = await a.run(["secrets", "set", "no/slash"], { input: VALUE });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid secret name "no\/slash": 1–128 letters/);
    const empty = await a.run(["secrets", "set", "empty"], { input: "\n" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("the value of empty is empty");
    const unset = await a.run(["secrets", "set", "x", "--from-env", "NOT_SET_ANYWHERE"]);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain("--from-env NOT_SET_ANYWHERE: the variable is not set or empty");
  });
});
