// The integration specs shown in the docs must validate against the real built-in connectors,
// not only against the spec schema (the runtime's own tests cannot see the catalog).
import { fileURLToPath } from "node:url";
import { builtinConnectors } from "@vrsky/connectors";
import { loadIntegration } from "@vrsky/runtime";
import { describe, expect, it } from "vitest";

const repo = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));

describe("specs in the docs", () => {
  it("resolves the complete example of docs/integration-spec.md with the built-in connectors", async () => {
    const integration = await loadIntegration(
      repo("packages/runtime/src/spec/__fixtures__/complete-example.yaml"),
      {
        builtins: builtinConnectors,
        env: {
          DATABASE_URL: "postgres://app@db/shop",
          VRSKY_SECRET_SHOP_WEBHOOK_SECRET: "s3cret",
          VRSKY_SECRET_SLACK_ORDERS: "https://hooks.slack.com/services/T/B/X",
        },
      },
    );
    expect(integration.routes).toEqual({ big: ["db", "slack"], standard: ["db"] });
    expect(JSON.stringify(integration.sinks.slack?.redactedConfig)).not.toContain("hooks.slack.com");
    // The router sends everything unmatched to `standard`, which the spec lists.
    expect(integration.warnings.filter((w) => !w.includes("no `default`"))).toEqual([]);
  });
});
