import { readFile } from "node:fs/promises";
import { ConfigError } from "@vrsky/sdk";
import { describe, expect, it } from "vitest";
import { parseIntegrationSpec, parseIntegrationSpecDocument } from "./parse.js";

const fixture = (name: string) => readFile(new URL(`__fixtures__/${name}`, import.meta.url), "utf8");

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseIntegrationSpec", () => {
  it("applies every default and converts durations and sizes", () => {
    const spec = parseIntegrationSpec(
      "name: min\nsource: { connector: a }\nsinks: { out: { connector: b } }",
      {
        file: "min.yaml",
      },
    );
    expect(spec.source).toEqual({ name: "source", connector: "a", config: {} });
    expect(spec.steps).toEqual([]);
    expect(spec.routes).toBeUndefined();
    expect(spec.settings).toEqual({
      retry: { attempts: 3, backoff: { initial: 1_000, multiplier: 2, max: 60_000, jitter: 0.2 } },
      claimCheck: { threshold: 262_144, ttl: 900_000, store: "jetstream" },
      concurrency: 16,
      ordering: "none",
      dlq: { retention: 604_800_000 },
      dedupWindow: 120_000,
    });
  });

  it("reads YAML and JSON alike", async () => {
    const json = parseIntegrationSpec(await fixture("orders.json"), { file: "orders.json" });
    expect(json.settings.retry.attempts).toBe(4);
    expect(json.settings.dedupWindow).toBe(30_000);
    const yaml = parseIntegrationSpec(await fixture("orders.yaml"), { file: "orders.yaml" });
    expect(yaml.sinks.db?.retry).toEqual({ attempts: 5, backoff: { initial: 250 } });
    expect(yaml.settings.claimCheck).toEqual({ threshold: 1_048_576, ttl: 900_000, store: "s3" });
  });

  it("reports every invalid field at once, in document order, with its path, line and fix", async () => {
    const text = await fixture("invalid-shape.yaml");
    const error = configError(() => parseIntegrationSpec(text, { file: "invalid-shape.yaml" }));
    expect(error.where).toBe("invalid-shape.yaml");
    expect(error.issues).toEqual([
      { path: "name", line: 1, column: 1, message: expect.stringContaining("kebab-case") },
      {
        path: "steps[1].name",
        line: 7,
        column: 5,
        message: expect.stringContaining("already used by steps[0]"),
      },
      {
        path: "sinks.db.config.url",
        line: 13,
        column: 7,
        message: expect.stringContaining("{ $env: NAME }"),
      },
      {
        path: "sinks.db.retry.attempts",
        line: 14,
        column: 14,
        message: expect.stringContaining("at least 1"),
      },
      { path: "routes.big[1]", line: 16, column: 13, message: expect.stringContaining('did you mean "db"') },
      {
        path: "settings.claimCheck.ttl",
        line: 18,
        column: 17,
        message: expect.stringContaining("such as 15m"),
      },
      { path: "settings.concurency", line: 19, column: 3, message: expect.stringContaining("unknown field") },
    ]);
  });

  it("requires at least one sink", () => {
    const error = configError(() =>
      parseIntegrationSpec("name: x\nsource: { connector: a }\nsinks: {}", { file: "x.yaml" }),
    );
    expect(error.issues).toEqual([expect.objectContaining({ path: "sinks", line: 3 })]);
  });

  it("reports YAML syntax errors with their line and without quoting the source", () => {
    const error = configError(() =>
      parseIntegrationSpec("name: x\nsource:\n  connector: [a,\nsecret: hunter2", { file: "bad.yaml" }),
    );
    expect(error.where).toBe("bad.yaml");
    expect(error.issues[0]).toMatchObject({
      line: expect.any(Number),
      message: expect.stringMatching(/^YAML syntax/),
    });
    expect(error.message).not.toContain("hunter2");
  });

  it("rejects what JSON forbids in a .json file", () => {
    const error = configError(() => parseIntegrationSpec('{\n  "name": "x",\n}', { file: "bad.json" }));
    expect(error.issues).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/^JSON syntax/) }),
    ]);
  });

  it("locates fields of a parsed spec for later issues", async () => {
    const { positions } = parseIntegrationSpecDocument(await fixture("orders.yaml"), { file: "orders.yaml" });
    expect(positions.locate(["steps", 0, "config", "expression"])).toEqual({ line: 13, column: 7 });
    expect(positions.locate(["sinks", "db", "config", "missing"])).toEqual({ line: 22, column: 5 });
  });
});
