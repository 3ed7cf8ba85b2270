import { readFileSync } from "node:fs";
import { ConfigError, FatalError } from "@vrsky/sdk";
import { createTestMessage, runConverter } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { describe, expect, it } from "vitest";
import { blockValue, comparableExample, readDocExamples, readFixtureExample } from "./doc-example.js";
import jsonTransform from "./index.js";

const fixtures = new URL("./__fixtures__/", import.meta.url);
const order = JSON.parse(readFileSync(new URL("doc/order-summary/input.json", fixtures), "utf8")) as unknown;

describeConformance(jsonTransform, {
  config: { expression: "{ 'id': order.id, 'lines': $count(order.items) }" },
  invalidConfigs: [
    { config: { expression: "order.(id" }, reason: "expression does not compile" },
    {
      config: { expression: "$", bindings: { "not a name": 1 } },
      reason: "binding name is not a variable name",
    },
    { config: {}, reason: "expression is missing" },
  ],
  fixtures: [{ json: order }, { json: { order: { id: "B-2", items: [] } } }],
  badInput: { body: "{ not json", contentType: "application/json" },
});

describe("json-transform", () => {
  it("drops the message when the expression matches nothing", async () => {
    expect(await runConverter(jsonTransform, { expression: "order.refund" }, { json: order })).toEqual([]);
  });

  it("keeps an array result as one message without split", async () => {
    const out = await runConverter(jsonTransform, { expression: "order.items.sku" }, { json: order });
    expect(out).toHaveLength(1);
    expect(await out[0]?.json()).toEqual(["KB-01", "MS-07"]);
    expect(out[0]?.contentType).toBe("application/json");
  });

  it("emits one message per element with split, and none for an empty array", async () => {
    const config = { expression: "order.items.{ 'orderId': %.id, 'sku': sku }", split: true };
    const out = await runConverter(jsonTransform, config, await createTestMessage({ json: order, id: "m1" }));
    expect(await Promise.all(out.map((m) => m.json()))).toEqual([
      { orderId: "A-1001", sku: "KB-01" },
      { orderId: "A-1001", sku: "MS-07" },
    ]);
    expect(out.map((m) => m.id)).toEqual(["m1:0", "m1:1"]);
    expect(await runConverter(jsonTransform, { expression: "[]", split: true }, { json: order })).toEqual([]);
  });

  it("keeps the headers and exposes them and the bindings as variables", async () => {
    const config = {
      expression: "{ 'region': $headers.`x-region`, 'rate': $rate }",
      bindings: { rate: 0.21 },
    };
    const [out] = await runConverter(jsonTransform, config, { json: {}, headers: { "x-region": "eu" } });
    expect(await out?.json()).toEqual({ region: "eu", rate: 0.21 });
    expect(out?.headers["x-region"]).toBe("eu");
  });

  it("rejects an expression that does not compile, naming the field and position", async () => {
    const error = await runConverter(jsonTransform, { expression: "order.(id" }, { json: order }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { path: "expression", message: expect.stringMatching(/JSONata syntax error at position 9 \(S0203\)/) },
    ]);
  });

  it("dead-letters a body that is not JSON", async () => {
    await expect(runConverter(jsonTransform, { expression: "$" }, { body: "<xml/>" })).rejects.toThrow(
      /not valid JSON/,
    );
  });

  it("dead-letters an evaluation error with the JSONata code and message", async () => {
    const input = await createTestMessage({ json: order, id: "m2" });
    const run = runConverter(jsonTransform, { expression: "order.id + 1" }, input);
    await expect(run).rejects.toBeInstanceOf(FatalError);
    await expect(run).rejects.toThrow(
      /^message m2: json-transform expression: JSONata evaluation failed at position \d+ \(T2001\): The left side/,
    );
  });

  it("dead-letters a runaway recursion instead of exhausting the stack", async () => {
    const expression = "( $loop := function($n) { 1 + $loop($n + 1) }; $loop(0) )";
    await expect(runConverter(jsonTransform, { expression }, { json: {} })).rejects.toThrow(
      /\(D1011\): Stack overflow/,
    );
  });

  it("dead-letters a result that is a function, not JSON", async () => {
    await expect(
      runConverter(jsonTransform, { expression: "function($x) { $x }" }, { json: {} }),
    ).rejects.toThrow(/not JSON/);
  });
});

describe("docs/connectors/json-transform.md", () => {
  const examples = readDocExamples(new URL("../../../../docs/connectors/json-transform.md", import.meta.url));

  it("has a worked example", () => {
    expect(examples.map((e) => e.connector)).toEqual(["json-transform"]);
  });

  for (const example of examples) {
    it(`example "${example.step}" matches its fixtures and its output is what the connector produces`, async () => {
      expect(comparableExample(example)).toEqual(comparableExample(readFixtureExample(fixtures, example)));
      const out = await runConverter(jsonTransform, example.config, { body: example.input.text });
      expect(await Promise.all(out.map((m) => m.json()))).toEqual([blockValue(example.output)]);
    });
  }
});
