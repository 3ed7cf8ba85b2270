import { readFile } from "node:fs/promises";
import { FatalError } from "@vrsky/sdk";
import { runConverter } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { describe, expect, it } from "vitest";
import connector from "./index.js";

const order: unknown = JSON.parse(
  await readFile(new URL("./__fixtures__/order.json", import.meta.url), "utf8"),
);
const config = { field: "customer", case: "upper" };

describe("{{name}}", () => {
  it("upper-cases the configured field and keeps the others", async () => {
    const [out] = await runConverter(connector, config, { json: order });
    expect(await out?.json()).toEqual({ id: "A-1001", customer: "ADA LOVELACE", total: 42.5 });
  });

  it("lower-cases when configured to", async () => {
    const [out] = await runConverter(connector, { ...config, case: "lower" }, { json: order });
    expect(await out?.json()).toMatchObject({ customer: "ada lovelace" });
  });

  it("rejects a message whose field is not text with a FatalError", async () => {
    await expect(runConverter(connector, config, { json: { customer: 7 } })).rejects.toBeInstanceOf(
      FatalError,
    );
  });
});

describeConformance(connector, {
  config,
  invalidConfigs: [{ config: { case: "title" }, reason: "case is upper or lower" }],
  fixtures: [{ json: order }],
  badInput: { body: "not json" },
});
