import { runConverter } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { describe, expect, it } from "vitest";
import pickFields from "./pick-fields.js";

describe("pick-fields", () => {
  it("keeps and renames the listed fields and inherits the input's headers", async () => {
    const [out] = await runConverter(
      pickFields,
      { fields: ["id", "total"], rename: { total: "amount" } },
      {
        json: { id: 7, total: 12.5, secretNote: "x" },
        headers: { "x-tenant-region": "eu" },
      },
    );
    expect(await out?.json()).toEqual({ id: 7, amount: 12.5 });
    expect(out?.headers).toEqual({ "x-tenant-region": "eu", "x-picked-fields": "2" });
  });
});

describeConformance(pickFields, {
  config: { fields: ["id"] },
  invalidConfigs: [{ config: { fields: [] }, reason: "at least one field must be kept" }],
  fixtures: [{ json: { id: 1, name: "a" } }, { json: { name: "no id" } }],
  badInput: { json: ["not", "an", "object"] },
});
