import { fileURLToPath } from "node:url";
import { ConfigError, REDACTED } from "@vrsky/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import {
  amountRouter,
  builtins,
  chatOut,
  dbOut,
  jsonMap,
  webhookIn,
} from "./__fixtures__/test-connectors.js";
import { createConnectorResolver } from "./connector-resolver.js";
import { loadIntegrationSpec } from "./load.js";
import { parseIntegrationSpec } from "./parse.js";
import { type ResolvedIntegration, resolveIntegration } from "./resolve.js";
import { envSecretSource } from "./secrets.js";

const baseDir = fileURLToPath(new URL("__fixtures__/", import.meta.url));
const env = {
  DATABASE_URL: "postgres://orders",
  DB_TOKEN: "db-token-value",
  VRSKY_SECRET_SHOP_TOKEN: "shop-token-value",
  VRSKY_SECRET_CHAT_ORDERS: "https://chat.example/hook-value",
};

async function resolveFixture(name: string) {
  const { spec, file, positions } = await loadIntegrationSpec(`${baseDir}${name}`);
  const resolveConnector = createConnectorResolver({ builtins, baseDir });
  return resolveIntegration(spec, { file, positions, resolveConnector, secrets: envSecretSource(env), env });
}

describe("resolveIntegration", () => {
  let integration: ResolvedIntegration;
  beforeAll(async () => {
    integration = await resolveFixture("orders.yaml");
  });

  it("loads connectors, resolves references and parses each config", () => {
    expect(integration.source).toMatchObject({
      name: "intake",
      path: "source",
      connector: webhookIn,
      config: { path: "/orders", token: "shop-token-value" },
    });
    expect(integration.steps.map((s) => [s.path, s.name, s.connector.name])).toEqual([
      ["steps[0]", "to-order", jsonMap.name],
      ["steps[1]", "by-amount", amountRouter.name],
      ["steps[2]", "shout", "shout"],
    ]);
    expect(integration.steps[2]?.config).toEqual({ suffix: "!" });
    expect(integration.sinks.db?.connector).toBe(dbOut);
    expect(integration.sinks.chat?.connector).toBe(chatOut);
    expect(integration.sinks.db?.config).toEqual({
      url: "postgres://orders",
      headers: { authorization: "db-token-value" },
    });
    expect(integration.routes).toEqual({ big: ["db", "chat"], default: ["db"] });
  });

  it("redacts secret fields and every referenced value", () => {
    expect(integration.source.redactedConfig).toEqual({ path: "/orders", token: REDACTED });
    expect(integration.sinks.db?.redactedConfig).toEqual({
      url: REDACTED,
      headers: { authorization: REDACTED },
    });
    expect(integration.sinks.chat?.redactedConfig).toEqual({ webhookUrl: REDACTED });
    const shown = JSON.stringify(
      [integration.source, ...integration.steps, ...Object.values(integration.sinks)].map(
        (s) => s.redactedConfig,
      ),
    );
    expect(shown).not.toMatch(/-value|postgres:/);
  });

  it("applies a sink's retry over the integration's and converts settings to base units", () => {
    const defaults = { attempts: 3, initialMs: 1_000, multiplier: 2, maxMs: 60_000, jitter: 0.2 };
    expect(integration.settings).toEqual({
      retry: defaults,
      claimCheck: { thresholdBytes: 1_048_576, ttlMs: 900_000, store: "s3" },
      concurrency: 16,
      ordering: "source",
      dlq: { retentionMs: 604_800_000 },
      dedupWindowMs: 120_000,
    });
    expect(integration.sinks.db?.retry).toEqual({ ...defaults, attempts: 5, initialMs: 250 });
    expect(integration.sinks.chat?.retry).toEqual(defaults);
  });

  it("warns about routes a filter can return that routes does not list", () => {
    expect(integration.warnings).toEqual([
      expect.stringMatching(/^steps\[1\] \(by-amount\) can route to "small"/),
    ]);
  });

  it("reports every connector, kind, secret and config problem at once with path, line and fix", async () => {
    const error = await resolveFixture("unresolvable.yaml").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const { issues, where, message } = error as ConfigError;
    expect(where).toBe(`${baseDir}unresolvable.yaml`);
    expect(issues).toEqual([
      {
        path: "source.config.token",
        line: 6,
        column: 5,
        message: expect.stringMatching(/^secret field token must be a reference such as \{ \$env: NAME \}/),
      },
      {
        path: "steps[0].connector",
        line: 9,
        column: 5,
        message: expect.stringContaining('unknown connector "json-mapp" (did you mean "json-map"?)'),
      },
      {
        path: "steps[1].connector",
        line: 11,
        column: 5,
        message: expect.stringContaining("is a producer, but steps must be converters or filters"),
      },
      { path: "steps[2].config.threshold", line: 15, column: 7, message: "expected number, received string" },
      {
        path: "sinks.db.config.url",
        line: 20,
        column: 7,
        message: expect.stringContaining("environment variable MISSING_DATABASE_URL is not set"),
      },
    ]);
    expect(message).not.toContain("hunter2");
  });

  it("reports a config the connector's schema rejects under the step's path", async () => {
    const spec = parseIntegrationSpec(
      "name: x\nsource: { connector: webhook-in, config: { path: /in } }\n" +
        "steps: [{ name: map, connector: json-map, config: { expression: '' } }]\n" +
        "sinks: { out: { connector: db-out, config: { url: u } } }",
      { file: "x.yaml" },
    );
    const error = await resolveIntegration(spec, {
      resolveConnector: createConnectorResolver({ builtins, baseDir }),
      secrets: envSecretSource({}),
      env: {},
    }).catch((e: unknown) => e);
    expect((error as ConfigError).issues).toEqual([
      { path: "steps[0].config.expression", message: expect.stringContaining(">=1") },
    ]);
  });
});
