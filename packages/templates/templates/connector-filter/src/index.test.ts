import { readFile } from "node:fs/promises";
import { FatalError } from "@vrsky/sdk";
import { runFilter } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { describe, expect, it } from "vitest";
import connector from "./index.js";

const fixture = async (name: string): Promise<unknown> =>
  JSON.parse(await readFile(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8"));
const big = await fixture("big-order.json");
const small = await fixture("small-order.json");
const config = { field: "total", threshold: 100 };

describe("{{name}}", () => {
  it("routes a message at or above the threshold to high", async () => {
    expect(await runFilter(connector, config, { json: big })).toEqual({ pass: true, routes: ["high"] });
  });

  it("routes a message below the threshold to low", async () => {
    expect(await runFilter(connector, config, { json: small })).toEqual({ pass: true, routes: ["low"] });
  });

  it("rejects a message without a numeric field with a FatalError", async () => {
    await expect(runFilter(connector, config, { json: { total: "many" } })).rejects.toBeInstanceOf(
      FatalError,
    );
  });
});

describeConformance(connector, {
  config,
  invalidConfigs: [{ config: { threshold: "100" }, reason: "threshold is a number" }],
  fixtures: [{ json: big }, { json: small }],
  badInput: { json: { total: "many" } },
});
