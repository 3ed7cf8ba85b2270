import { readFileSync } from "node:fs";
import { ConfigError, FatalError } from "@vrsky/sdk";
import { createTestMessage, runConverter } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { describe, expect, it } from "vitest";
import { comparableExample, readDocExamples, readFixtureExample } from "../json-transform/doc-example.js";
import fieldMap from "./index.js";

const fixtures = new URL("./__fixtures__/", import.meta.url);
const webhook = JSON.parse(readFileSync(new URL("webhook-order.json", fixtures), "utf8")) as unknown;
const mapOne = async (config: unknown, json: unknown): Promise<unknown> => {
  const [out] = await runConverter(fieldMap, config, { json });
  return out?.json();
};

describeConformance(fieldMap, {
  config: { extract: { orderId: "data.order.id" }, drop: ["signature"] },
  invalidConfigs: [
    { config: {}, reason: "no operation configured" },
    { config: { drop: ["a..b"] }, reason: "empty path segment" },
    { config: { defaults: { "__proto__.polluted": true } }, reason: "reserved path segment" },
    { config: { pick: [] }, reason: "pick lists no field" },
  ],
  fixtures: [{ json: webhook }, { json: { signature: "x" } }],
  badInput: { json: ["not", "an", "object"] },
});

describe("field-map", () => {
  it("runs extract, rename, defaults, drop and pick in that order, whatever the config order", async () => {
    const config = {
      pick: ["id", "email", "firstSku", "source"],
      drop: ["source"],
      defaults: { source: "webhook", email: "unknown@example.com" },
      rename: { "data.order.id": "id", "data.order.customer.email": "email" },
      extract: { firstSku: "data.order.items.0.sku", email: "data.order.customer.missing" },
    };
    expect(await mapOne(config, webhook)).toEqual({
      id: "A-1001",
      email: "ada@example.com",
      firstSku: "KB-01",
    });
  });

  it("copies extracted values, so dropping inside the copy leaves the source intact", async () => {
    const config = {
      extract: { customer: "data.order.customer" },
      drop: ["customer.tags", "data.order.items.1"],
    };
    const out = (await mapOne(config, webhook)) as { customer: unknown; data: { order: unknown } };
    expect(out.customer).toEqual({ email: "ada@example.com" });
    expect(out.data.order).toMatchObject({
      customer: { email: "ada@example.com", tags: ["vip"] },
      items: [{ sku: "KB-01", quantity: 2 }],
    });
  });

  it("fills defaults for missing and null fields only, creating parents", async () => {
    const config = { defaults: { a: 1, b: 2, c: 3, "d.e.f": [] } };
    expect(await mapOne(config, { a: null, b: 0, c: false })).toEqual({
      a: 1,
      b: 0,
      c: false,
      d: { e: { f: [] } },
    });
  });

  it("ignores missing paths in rename, drop and pick, and never reads inherited properties", async () => {
    const config = { rename: { nope: "x", toString: "y" }, drop: ["a.b.c"], pick: ["keep", "gone.too"] };
    expect(await mapOne(config, { keep: 1, other: 2 })).toEqual({ keep: 1 });
  });

  it("keeps the input headers", async () => {
    const [out] = await runConverter(
      fieldMap,
      { drop: ["x"] },
      { json: { x: 1 }, headers: { "x-trace": "t1" } },
    );
    expect(out?.headers["x-trace"]).toBe("t1");
    expect(out?.contentType).toBe("application/json");
  });

  it("dead-letters a body that is not a JSON object", async () => {
    const input = await createTestMessage({ json: [1, 2], id: "m1" });
    const run = runConverter(fieldMap, { drop: ["x"] }, input);
    await expect(run).rejects.toBeInstanceOf(FatalError);
    await expect(run).rejects.toThrow("message m1: field-map expects a JSON object body, got an array");
    await expect(runConverter(fieldMap, { drop: ["x"] }, { body: "id=1" })).rejects.toThrow(/not valid JSON/);
  });

  it("dead-letters a write through a scalar, naming the path", async () => {
    await expect(runConverter(fieldMap, { defaults: { "a.b": 1 } }, { json: { a: "text" } })).rejects.toThrow(
      /field-map cannot set `a.b`: `a` is a string, not an object/,
    );
  });

  it("reports every bad path in the config at once", async () => {
    const error = await runConverter(fieldMap, { drop: [".x", "constructor"] }, { json: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(["drop.0", "drop.1"]);
  });
});

describe("docs/connectors/field-map.md", () => {
  const examples = readDocExamples(new URL("../../../../docs/connectors/field-map.md", import.meta.url));

  it("has a worked example", () => {
    expect(examples.map((e) => e.connector)).toEqual(["field-map"]);
  });

  for (const example of examples) {
    it(`example "${example.step}" matches its fixtures and its output is what the connector produces`, async () => {
      expect(comparableExample(example)).toEqual(comparableExample(readFixtureExample(fixtures, example)));
      const out = await runConverter(fieldMap, example.config, { body: example.input.text });
      expect(await Promise.all(out.map((m) => m.json()))).toEqual([JSON.parse(example.output.text)]);
    });
  }
});
