import { describe, expect, it } from "vitest";
import { builtinConnectors, builtinsByName, catalog } from "./catalog.js";

describe("the built-in catalog", () => {
  it("lists every built-in connector once, by a unique kebab-case name", () => {
    const names = builtinConnectors.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(builtinsByName()).sort()).toEqual([...names].sort());
  });

  it("gives each connector a manifest with kind, version, description and an object config schema", () => {
    for (const manifest of catalog()) {
      expect(manifest.kind, manifest.name).toMatch(/^(consumer|producer|converter|filter)$/);
      expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(manifest.description.length).toBeGreaterThan(10);
      expect(manifest.config).toMatchObject({ type: "object" });
    }
  });

  it("accepts each connector's own examples with its config schema", () => {
    for (const connector of builtinConnectors) {
      for (const example of connector.examples ?? []) {
        const parsed = connector.config.safeParse(example.config);
        expect(parsed.success, `${connector.name}: ${example.title}`).toBe(true);
      }
    }
  });
});
