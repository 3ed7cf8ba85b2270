import { describe, expect, it } from "vitest";
import { backoffDelay, backoffSchedule, type RetryPolicy } from "./backoff.js";

const policy: RetryPolicy = { attempts: 5, initialMs: 1_000, multiplier: 2, maxMs: 5_000, jitter: 0.2 };
const middle = () => 0.5;

describe("backoffDelay", () => {
  it("doubles the delay after each failed attempt until the cap", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(policy, attempt, middle))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });

  it("spreads the delay by at most the jitter fraction either way", () => {
    expect(backoffDelay(policy, 2, () => 0)).toBe(1_600);
    expect(backoffDelay(policy, 2, () => 0.999_999)).toBe(2_400);
  });

  it("rejects an attempt number below 1", () => {
    expect(() => backoffDelay(policy, 0)).toThrow(RangeError);
  });
});

describe("backoffSchedule", () => {
  it("lists one delay per redelivery, without jitter", () => {
    expect(backoffSchedule(policy)).toEqual([1_000, 2_000, 4_000, 5_000]);
    expect(backoffSchedule({ ...policy, attempts: 1 })).toEqual([]);
  });
});
