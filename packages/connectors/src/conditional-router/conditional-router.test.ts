import { ConfigError, connectorManifest, FatalError } from "@vrsky/sdk";
import { createTestMessage, runFilter } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { describe, expect, it } from "vitest";
import { comparableExample, readDocExamples, readFixtureExample } from "../json-transform/doc-example.js";
import { ConditionalRouterConfig, routeNames } from "./config.js";
import conditionalRouter from "./index.js";

const fixtures = new URL("./__fixtures__/", import.meta.url);
const routes = [
  { name: "priority", when: "order.express = true" },
  { name: "big", when: "order.total >= 1000" },
];
const order = (fields: Record<string, unknown>) => ({ json: { order: { id: "A-1", ...fields } } });

const conformance = {
  config: { routes, default: "standard" },
  invalidConfigs: [
    { config: { routes: [] }, reason: "no routes" },
    { config: { routes: [{ name: "a", when: "total >" }] }, reason: "condition does not compile" },
    { config: { routes: [routes[0], routes[0]] }, reason: "duplicate route names" },
    { config: { routes: [{ name: "drop", when: "true" }] }, reason: "drop is reserved" },
    { config: { routes, mode: "any" }, reason: "mode is first or all" },
  ],
  fixtures: [order({ express: true, total: 5 }), order({ total: 5000 }), order({})],
  badInput: { body: "express=true", contentType: "text/plain" },
};

describeConformance(conditionalRouter, conformance);

describe("conditional-router", () => {
  it("sends a message to the first matching route in order", async () => {
    expect(await runFilter(conditionalRouter, { routes }, order({ express: true, total: 5000 }))).toEqual({
      pass: true,
      routes: ["priority"],
    });
    expect(await runFilter(conditionalRouter, { routes }, order({ total: 5000 }))).toEqual({
      pass: true,
      routes: ["big"],
    });
  });

  it("sends a message to every matching route in mode all", async () => {
    const config = { routes, mode: "all" };
    expect(await runFilter(conditionalRouter, config, order({ express: true, total: 5000 }))).toEqual({
      pass: true,
      routes: ["priority", "big"],
    });
  });

  it("drops unmatched messages by default, or sends them to the default route", async () => {
    expect(await runFilter(conditionalRouter, { routes }, order({ total: 5 }))).toEqual({
      pass: false,
      routes: [],
    });
    expect(await runFilter(conditionalRouter, { routes, default: "standard" }, order({}))).toEqual({
      pass: true,
      routes: ["standard"],
    });
  });

  it("reads headers as $headers and treats a missing field as false", async () => {
    const config = {
      routes: [
        { name: "eu", when: "$headers.`x-region` = 'eu'" },
        { name: "vip", when: "vip" },
      ],
    };
    const input = { json: {}, headers: { "x-region": "eu" } };
    expect(await runFilter(conditionalRouter, { ...config, mode: "all" }, input)).toEqual({
      pass: true,
      routes: ["eu"],
    });
  });

  it("dead-letters a condition that returns something other than true or false", async () => {
    const input = await createTestMessage({ json: { status: "paid" }, id: "m1" });
    const run = runFilter(conditionalRouter, { routes: [{ name: "paid", when: "status" }] }, input);
    await expect(run).rejects.toBeInstanceOf(FatalError);
    await expect(run).rejects.toThrow(
      'message m1: conditional-router routes.0.when ("paid"): expected true or false, got a string',
    );
  });

  it("dead-letters a condition that fails to evaluate, naming the route", async () => {
    const config = { routes: [{ name: "math", when: "status + 1 > 2" }] };
    await expect(runFilter(conditionalRouter, config, { json: { status: "x" } })).rejects.toThrow(
      /routes\.0\.when \("math"\): JSONata evaluation failed at position \d+ \(T2001\)/,
    );
  });

  it("rejects conditions that do not compile, naming each at routes.<i>.when with its position", async () => {
    const config = { routes: [{ name: "a", when: "total >" }, routes[0], { name: "b", when: "(x" }] };
    const error = await runFilter(conditionalRouter, config, order({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { path: "routes.0.when", message: expect.stringMatching(/^JSONata syntax error at position \d+/) },
      { path: "routes.2.when", message: expect.stringMatching(/^JSONata syntax error at position \d+/) },
    ]);
  });

  it("lists the routes a config can send to, and declares none statically", () => {
    const config = ConditionalRouterConfig.parse({ routes, default: "standard" });
    expect(routeNames(config)).toEqual(["priority", "big", "standard"]);
    expect(routeNames(ConditionalRouterConfig.parse({ routes }))).toEqual(["priority", "big"]);
    expect(connectorManifest(conditionalRouter).routes).toBeUndefined();
  });
});

describe("docs/connectors/conditional-router.md", () => {
  const examples = readDocExamples(
    new URL("../../../../docs/connectors/conditional-router.md", import.meta.url),
  );

  it("has a worked example", () => {
    expect(examples.map((e) => e.connector)).toEqual(["conditional-router"]);
  });

  for (const example of examples) {
    it(`example "${example.step}" matches its fixtures and its decision is what the connector decides`, async () => {
      expect(comparableExample(example)).toEqual(comparableExample(readFixtureExample(fixtures, example)));
      const decision = await runFilter(conditionalRouter, example.config, { body: example.input.text });
      expect(decision).toEqual(JSON.parse(example.output.text));
    });
  }
});
