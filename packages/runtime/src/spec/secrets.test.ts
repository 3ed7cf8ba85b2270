import { describe, expect, it } from "vitest";
import { envSecretSource, resolveSecretRefs } from "./secrets.js";

const options = {
  path: ["sinks", "db", "config"],
  secretPaths: ["headers.*", "password"],
  env: { DATABASE_URL: "postgres://db", TOKEN: "t0k3n" },
  secrets: envSecretSource({ VRSKY_SECRET_DB_PASSWORD: "pa55" }),
};

describe("resolveSecretRefs", () => {
  it("replaces $env and $secret references and lists their paths for redaction", async () => {
    const raw = {
      url: { $env: "DATABASE_URL" },
      password: { $secret: "db-password" },
      headers: { authorization: { $env: "TOKEN" } },
      hosts: ["a", { $env: "TOKEN" }],
      port: 5432,
    };
    const result = await resolveSecretRefs(raw, options);
    expect(result.issues).toEqual([]);
    expect(result.config).toEqual({
      url: "postgres://db",
      password: "pa55",
      headers: { authorization: "t0k3n" },
      hosts: ["a", "t0k3n"],
      port: 5432,
    });
    expect(result.refPaths.sort()).toEqual(["headers.authorization", "hosts.*", "password", "url"]);
  });

  it("rejects inline values in secret fields without repeating them", async () => {
    const raw = { password: "hunter2", headers: { a: { $env: "TOKEN" }, b: "inline-b" } };
    const { issues } = await resolveSecretRefs(raw, options);
    expect(issues.map((i) => i.path)).toEqual(["sinks.db.config.headers.b", "sinks.db.config.password"]);
    expect(issues[1]?.message).toMatch(
      /^secret field password must be a reference such as \{ \$env: NAME \}/,
    );
    expect(JSON.stringify(issues)).not.toMatch(/hunter2|inline-b/);
  });

  it("names the variable or secret to set when a reference is missing", async () => {
    const raw = { url: { $env: "NOPE_URL" }, password: { $secret: "db.admin" } };
    const { issues } = await resolveSecretRefs(raw, options);
    expect(issues).toEqual([
      {
        path: "sinks.db.config.url",
        message: "environment variable NOPE_URL is not set: set it, or change the reference",
      },
      {
        path: "sinks.db.config.password",
        message: 'secret "db.admin" is not set: set the environment variable VRSKY_SECRET_DB_ADMIN',
      },
    ]);
  });
});
