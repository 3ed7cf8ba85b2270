import { runFilter } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { describe, expect, it } from "vitest";
import amountRouter from "./amount-router.js";

describe("amount-router", () => {
  it("routes by the amount and drops messages without one", async () => {
    const config = { threshold: 100 };
    expect(await runFilter(amountRouter, config, { json: { amount: 250 } })).toEqual({
      pass: true,
      routes: ["large"],
    });
    expect(await runFilter(amountRouter, config, { json: { amount: 3 } })).toEqual({
      pass: true,
      routes: ["small"],
    });
    expect(await runFilter(amountRouter, config, { json: { note: "none" } })).toEqual({
      pass: false,
      routes: [],
    });
  });
});

describeConformance(amountRouter, {
  config: { threshold: 100 },
  fixtures: [{ json: { amount: 250 } }, { json: { amount: 3 } }, { json: {} }],
  badInput: { json: { amount: "lots" } },
});
