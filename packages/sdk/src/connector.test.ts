import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type ConsumerDefinition, defineConsumer, defineConverter, isConnector } from "./connector.js";
import { ConfigError } from "./errors.js";

describe("define helpers", () => {
  it("stamp the kind and freeze the definition", () => {
    const converter = defineConverter({
      name: "upper",
      version: "1.0.0",
      description: "Upper-cases text.",
      config: z.object({}),
      convert: () => null,
    });
    expect(converter.kind).toBe("converter");
    expect(Object.isFrozen(converter)).toBe(true);
    expect(isConnector(converter)).toBe(true);
  });

  it("report every malformed field of a definition at once", () => {
    const bad = {
      name: "Bad Name",
      version: "one",
      description: " ",
      config: {},
      start: async () => {},
    } as unknown as ConsumerDefinition<unknown, undefined, unknown>;
    let error: unknown;
    try {
      defineConsumer(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      "name",
      "version",
      "description",
      "config",
    ]);
    expect((error as ConfigError).message).toMatch(/in consumer definition "Bad Name"/);
  });
});

describe("isConnector", () => {
  it("rejects values that are not connectors", () => {
    expect(isConnector(null)).toBe(false);
    expect(isConnector({ kind: "sink", name: "x" })).toBe(false);
    expect(isConnector({ kind: "producer" })).toBe(false);
  });
});
