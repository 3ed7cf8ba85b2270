import { describe, expect, it } from "vitest";
import { z } from "zod";
import { REDACTED, secret } from "./config.js";
import { defineFilter, defineProducer, filterRoutes } from "./connector.js";
import { ConnectorManifest, connectorManifest, connectorSecretPaths, MANIFEST_VERSION } from "./manifest.js";

const sink = defineProducer({
  name: "http-out",
  version: "1.2.0",
  description: "Posts messages to a URL.",
  categories: ["http"],
  icon: "globe",
  config: z.object({ url: z.url(), token: secret(z.string()) }),
  examples: [{ title: "Basic", config: { url: "https://x", token: "abc" } }],
  async deliver() {},
});

describe("connectorManifest", () => {
  it("describes the connector with its JSON Schema, secrets and redacted examples", () => {
    const manifest = connectorManifest(sink);
    expect(ConnectorManifest.parse(manifest)).toEqual(manifest);
    expect(manifest).toMatchObject({
      manifestVersion: MANIFEST_VERSION,
      kind: "producer",
      name: "http-out",
      version: "1.2.0",
      categories: ["http"],
      icon: "globe",
      secrets: ["token"],
      examples: [{ title: "Basic", config: { url: "https://x", token: REDACTED } }],
    });
    expect(manifest.config.type).toBe("object");
    expect(manifest).not.toHaveProperty("routes");
    expect(JSON.stringify(manifest)).not.toContain("abc");
  });

  it("lists a filter's routes", () => {
    const filter = defineFilter({
      name: "router",
      version: "1.0.0",
      description: "Routes.",
      config: z.object({}),
      routes: ["a", "b"],
      filter: () => "a",
    });
    expect(connectorManifest(filter).routes).toEqual(["a", "b"]);
  });

  it("marks a filter whose routes come from its config", () => {
    const filter = defineFilter({
      name: "rules",
      version: "1.0.0",
      description: "Routes by rules.",
      config: z.object({ rules: z.array(z.object({ name: z.string() })) }),
      routesFromConfig: (config) => config.rules.map((r) => r.name),
      filter: () => false,
    });
    const manifest = connectorManifest(filter);
    expect(manifest.routesFromConfig).toBe(true);
    expect(manifest).not.toHaveProperty("routes");
    expect(filterRoutes(filter, { rules: [{ name: "a" }] })).toEqual(["a"]);
  });

  it("gives the secret paths of a connector", () => {
    expect(connectorSecretPaths(sink)).toEqual(["token"]);
  });
});
