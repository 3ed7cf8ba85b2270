import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  configJsonSchema,
  parseConfig,
  REDACTED,
  redact,
  SECRET_KEYWORD,
  secret,
  secretPaths,
} from "./config.js";
import { ConfigError } from "./errors.js";

const Config = z.object({
  url: z.url(),
  auth: z.object({ user: z.string(), password: secret(z.string()) }).optional(),
  headers: z.record(z.string(), secret(z.string())).default({}),
  keys: z.array(z.object({ id: z.string(), value: secret(z.string()) })).default([]),
});

describe("secret", () => {
  it("marks a field writeOnly and secret in the JSON Schema", () => {
    const schema = configJsonSchema(z.object({ token: secret(z.string()) }));
    expect((schema.properties as Record<string, Record<string, unknown>>).token).toMatchObject({
      type: "string",
      writeOnly: true,
      [SECRET_KEYWORD]: true,
    });
  });
});

describe("secretPaths", () => {
  it("finds nested, map and array secrets with * for items", () => {
    expect(secretPaths(configJsonSchema(Config))).toEqual(["auth.password", "headers.*", "keys.*.value"]);
  });

  it("finds secrets behind $defs references", () => {
    const Shared = z.object({ token: secret(z.string()) }).meta({ id: "Shared" });
    expect(secretPaths(configJsonSchema(z.object({ a: Shared, b: Shared })))).toEqual(["a.token", "b.token"]);
  });
});

describe("redact", () => {
  it("replaces secret values and leaves the input untouched", () => {
    const config = {
      url: "https://x",
      auth: { user: "u", password: "hunter2" },
      headers: { Authorization: "Bearer abc" },
      keys: [{ id: "k1", value: "v1" }],
    };
    const redacted = redact(config, secretPaths(configJsonSchema(Config)));
    expect(redacted).toEqual({
      url: "https://x",
      auth: { user: "u", password: REDACTED },
      headers: { Authorization: REDACTED },
      keys: [{ id: "k1", value: REDACTED }],
    });
    expect(config.auth.password).toBe("hunter2");
  });

  it("returns the value itself when nothing is secret", () => {
    const value = { a: 1 };
    expect(redact(value, [])).toBe(value);
  });
});

describe("parseConfig", () => {
  it("returns the typed config with defaults applied", () => {
    expect(parseConfig(Config, { url: "https://x" })).toEqual({ url: "https://x", headers: {}, keys: [] });
  });

  it("reports every problem at once with its path, and never the offending values", () => {
    const error = (() => {
      try {
        parseConfig(
          Config.strict(),
          { auth: { user: 1, password: "hunter2" }, extra: true },
          {
            where: "step sink",
            pathPrefix: "sinks.out.config",
          },
        );
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const { issues, message } = error as ConfigError;
    expect(issues.map((i) => i.path)).toEqual([
      "sinks.out.config.url",
      "sinks.out.config.auth.user",
      "sinks.out.config",
    ]);
    expect(issues[0]?.message).toBe("required: expected string");
    expect(issues[2]?.message).toBe('unknown field "extra": remove it or check the spelling');
    expect(message).toMatch(/^Invalid config in step sink: 3 problems/);
    expect(message).not.toContain("hunter2");
  });
});
