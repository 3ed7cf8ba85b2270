import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Duration, parseDuration, parseSize, Size } from "./units.js";

describe("parseDuration", () => {
  it.each([
    ["250ms", 250],
    ["1s", 1_000],
    ["1.5s", 1_500],
    ["15m", 900_000],
    ["2h", 7_200_000],
    ["7d", 604_800_000],
    [120, 120],
  ] as const)("reads %s as %i ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(["15", "15 minutes", "-1s", "1w", ""])("rejects %j with the expected form", (input) => {
    expect(() => parseDuration(input)).toThrow("expected a duration such as 15m, 30s or 250ms");
  });
});

describe("parseSize", () => {
  it.each([
    ["256KiB", 262_144],
    ["1MB", 1_000_000],
    ["1GiB", 1_073_741_824],
    ["512B", 512],
    [2048, 2048],
  ] as const)("reads %s as %i bytes", (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  it("rejects a size without a unit", () => {
    expect(() => parseSize("256")).toThrow("expected a size such as 256KiB");
  });
});

describe("Duration and Size schemas", () => {
  it("parse to base units and report the expected form at the field's path", () => {
    const Schema = z.object({ ttl: Duration, threshold: Size });
    expect(Schema.parse({ ttl: "15m", threshold: "1MiB" })).toEqual({ ttl: 900_000, threshold: 1_048_576 });
    const issues = Schema.safeParse({ ttl: true, threshold: "big" }).error?.issues;
    expect(issues?.map((i) => [i.path.join("."), i.message])).toEqual([
      ["ttl", expect.stringContaining("expected a duration such as 15m")],
      ["threshold", expect.stringContaining("expected a size such as 256KiB")],
    ]);
  });
});
