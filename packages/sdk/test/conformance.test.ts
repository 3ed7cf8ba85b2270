import { type Connector, defineFilter, z } from "@vrsky/sdk";
import {
  ConformanceCheck,
  type ConformanceOptions,
  type ConformanceReport,
  checkConformance,
  formatConformanceReport,
} from "@vrsky/sdk/testing";
import { beforeEach, describe, expect, it } from "vitest";
import badExample from "./__fixtures__/broken/bad-example-connector.js";
import doubleInsert, { rows } from "./__fixtures__/broken/double-insert-producer.js";
import leakyConsumer from "./__fixtures__/broken/leaky-consumer.js";
import lossyConsumer from "./__fixtures__/broken/lossy-consumer.js";
import nondeterministic from "./__fixtures__/broken/nondeterministic-converter.js";
import typeError from "./__fixtures__/broken/type-error-converter.js";
import undeclaredRoute from "./__fixtures__/broken/undeclared-route-filter.js";
import unkeyedRestarting from "./__fixtures__/broken/unkeyed-restarting-consumer.js";
import unmarkedSecret from "./__fixtures__/broken/unmarked-secret-connector.js";

function failed(report: ConformanceReport): Record<string, string | undefined> {
  return Object.fromEntries(report.checks.filter((c) => !c.ok).map((c) => [c.name, c.message]));
}

async function run(
  connector: Connector,
  options: ConformanceOptions,
): Promise<Record<string, string | undefined>> {
  const report = await checkConformance(connector, options);
  expect(report.ok).toBe(false);
  return failed(report);
}

describe("the conformance suite on broken connectors", () => {
  beforeEach(() => {
    rows.length = 0;
  });

  it("fails a converter whose output changes between runs of the same input", async () => {
    const failures = await run(nondeterministic, { config: {}, fixtures: [{ body: "x" }] });
    expect(Object.keys(failures)).toEqual([ConformanceCheck.DeterministicConverter]);
    expect(failures[ConformanceCheck.DeterministicConverter]).toMatch(/fixture 0: output 0 body differs/);
    expect(failures[ConformanceCheck.DeterministicConverter]).toMatch(/not the clock, randomness/);
  });

  it("fails a consumer that leaves an interval running after close", async () => {
    const failures = await run(leakyConsumer, { config: {}, settleMs: 50 });
    expect(Object.keys(failures)).toEqual([ConformanceCheck.Lifecycle]);
    expect(failures[ConformanceCheck.Lifecycle]).toMatch(
      /after the first run and close\(\), 1 Timeout opened by the connector is still open/,
    );
    expect(failures[ConformanceCheck.Lifecycle]).toMatch(
      /after the restart and close\(\), 2 Timeout opened by the connector are still open/,
    );
    expect(failures[ConformanceCheck.Lifecycle]).toMatch(/clear timers and intervals/);
  });

  it("fails a filter that returns a route it does not declare", async () => {
    const failures = await run(undeclaredRoute, {
      config: {},
      fixtures: [
        { body: "a", headers: { "x-priority": "low" } },
        { body: "b", headers: { "x-priority": "high" } },
      ],
    });
    expect(Object.keys(failures)).toEqual([ConformanceCheck.DeclaredRoutes]);
    expect(failures[ConformanceCheck.DeclaredRoutes]).toMatch(
      /fixture 1: returned route "urgent", which is not declared \(routes: "normal", "low"\): add it to routes/,
    );
  });

  it("fails a producer that inserts again when a delivery is retried", async () => {
    const failures = await run(doubleInsert, {
      config: {},
      fixtures: [{ body: "row-1" }],
      observe: async () => [...rows],
    });
    expect(Object.keys(failures)).toEqual([ConformanceCheck.RetrySafe]);
    expect(failures[ConformanceCheck.RetrySafe]).toMatch(/attempt 2\) changed the target/);
    expect(failures[ConformanceCheck.RetrySafe]).toMatch(/Use msg.id as an idempotency key/);
  });

  it("leaves out a check declared not applicable instead of running or skipping it", async () => {
    const report = await checkConformance(doubleInsert, {
      config: {},
      fixtures: [{ body: "row-1" }],
      observe: async () => [...rows],
      notApplicable: { [ConformanceCheck.RetrySafe]: "the target takes no idempotency key" },
    });
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).not.toContain(ConformanceCheck.RetrySafe);
  });

  it("fails a connector whose example does not pass its own schema", async () => {
    const failures = await run(badExample, { config: { url: "https://example.com/hook" } });
    expect(failures[ConformanceCheck.Manifest]).toMatch(/example "Slow endpoint".*url.*timeoutMs/);
    expect(failures[ConformanceCheck.ConfigSchema]).toMatch(/example "Slow endpoint"/);
  });

  it("fails a converter that throws a TypeError on bad input", async () => {
    const failures = await run(typeError, {
      config: {},
      fixtures: [{ json: { order: { id: 1 } } }],
      badInput: { json: { event: "no order" } },
    });
    expect(Object.keys(failures)).toEqual([ConformanceCheck.TypedErrors]);
    expect(failures[ConformanceCheck.TypedErrors]).toMatch(
      /failed with TypeError: .* instead of a FatalError/,
    );
    expect(failures[ConformanceCheck.TypedErrors]).toMatch(/throw new FatalError/);
  });

  it("fails a consumer that saves its checkpoint before the message is accepted", async () => {
    const failures = await run(lossyConsumer, { config: {} });
    expect(Object.keys(failures)).toEqual([ConformanceCheck.CheckpointResume]);
    expect(failures[ConformanceCheck.CheckpointResume]).toMatch(/message 2 was rejected .* so it is lost/);
  });

  it("fails a consumer that emits everything again after a restart", async () => {
    const failures = await run(unkeyedRestarting, { config: {} });
    expect(Object.keys(failures)).toEqual([ConformanceCheck.CheckpointResume]);
    expect(failures[ConformanceCheck.CheckpointResume]).toMatch(/emitted 2 message\(s\) again/);
  });

  it("fails a manifest with an unmarked credential field and no examples", async () => {
    const failures = await run(unmarkedSecret, { config: { channel: "ops", apiToken: "t0ken-value" } });
    const message = failures[ConformanceCheck.Manifest];
    expect(message).toMatch(/config field apiToken looks like a credential .* wrap its schema in secret/);
    expect(message).toMatch(/no examples: add examples/);
    expect(message).not.toContain("t0ken-value");
  });
});

describe("the conformance suite on filters with configured routes", () => {
  it("checks returned routes against routesFromConfig", async () => {
    const configured = defineFilter({
      name: "header-router",
      version: "1.0.0",
      description: "Routes to the route named in a header, among the configured ones.",
      config: z.object({ routes: z.array(z.string().min(1)).min(1) }),
      routesFromConfig: (config) => config.routes,
      examples: [{ title: "Two routes", config: { routes: ["a", "b"] } }],
      filter: (msg) => msg.headers["x-route"] ?? false,
    });
    const fixtures = [{ body: "1", headers: { "x-route": "a" } }, { body: "2" }];
    const passing = await checkConformance(configured, { config: { routes: ["a"] }, fixtures });
    expect(passing.checks.find((c) => c.name === ConformanceCheck.DeclaredRoutes)).toEqual({
      name: ConformanceCheck.DeclaredRoutes,
      ok: true,
    });
    const failing = failed(await checkConformance(configured, { config: { routes: ["b"] }, fixtures }));
    expect(failing[ConformanceCheck.DeclaredRoutes]).toMatch(
      /returned route "a", which is not declared \(routes: "b"\)/,
    );
  });
});

describe("the conformance report", () => {
  it("lists every check with a mark and indents the reasons of failed and skipped ones", async () => {
    const report = await checkConformance(nondeterministic, { config: {} });
    const text = formatConformanceReport(report);
    expect(text.split("\n")[0]).toBe("stamp-random (converter): 3 passed, 2 skipped");
    expect(text).toContain(`  ✓ ${ConformanceCheck.Manifest}`);
    expect(text).toContain(`  - ${ConformanceCheck.TypedErrors} (skipped)\n      no options.badInput`);
  });

  it("runs setup before and teardown after the checks, even when a check fails", async () => {
    const calls: string[] = [];
    const report = await checkConformance(doubleInsert, {
      config: {},
      fixtures: [{ body: "r" }],
      observe: async () => {
        calls.push("observe");
        return [...rows];
      },
      setup: () => {
        calls.push("setup");
      },
      teardown: () => {
        calls.push("teardown");
      },
    });
    expect(report.ok).toBe(false);
    expect(calls).toEqual(["setup", "observe", "observe", "teardown"]);
  });
});
