import { fileURLToPath } from "node:url";
import { ConfigError } from "@vrsky/sdk";
import { describe, expect, it } from "vitest";
import { loadIntegrationSpec } from "./load.js";

const fixture = (name: string) => fileURLToPath(new URL(`__fixtures__/${name}`, import.meta.url));

describe("loadIntegrationSpec", () => {
  it.each(["orders.yaml", "orders.json"])("loads %s with the positions of its fields", async (name) => {
    const loaded = await loadIntegrationSpec(fixture(name));
    expect(loaded.file).toBe(fixture(name));
    expect(loaded.spec.name).toBe("orders");
    expect(loaded.positions?.locate(["sinks", "db"])).toEqual(
      expect.objectContaining({ line: expect.any(Number) }),
    );
  });

  it("loads the default export of a TypeScript spec made with defineIntegration", async () => {
    const loaded = await loadIntegrationSpec(fixture("orders.integration.ts"));
    expect(loaded.positions).toBeUndefined();
    expect(loaded.spec.steps[0]?.name).toBe("to-order");
    expect(loaded.spec.settings.claimCheck.ttl).toBe(300_000);
  });

  it("rejects a module without a default export, saying what to export", async () => {
    const error = await loadIntegrationSpec(fixture("no-default.ts")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.message).toMatch(/no default export: .*defineIntegration/);
  });

  it("names the supported extensions and reports unreadable files", async () => {
    await expect(loadIntegrationSpec(fixture("orders.toml"))).rejects.toThrow(
      /unsupported .* use \.yaml, \.yml, \.json/,
    );
    await expect(loadIntegrationSpec(fixture("missing.yaml"))).rejects.toThrow(
      /cannot read the spec file \(ENOENT\)/,
    );
  });
});
