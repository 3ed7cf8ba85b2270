import { describe, expect, it } from "vitest";
import { formatRetryAfter, parseRetryAfter } from "./retry-after.js";

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, and ignores anything else", () => {
    const now = Date.parse("Wed, 21 Oct 2015 07:27:00 GMT");
    expect(parseRetryAfter("120")).toBe(120_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now)).toBe(0);
    for (const junk of [null, "", "1.5", "soon", "-3"]) expect(parseRetryAfter(junk)).toBeUndefined();
  });
});

describe("formatRetryAfter", () => {
  it("rounds up to whole seconds, at least 1", () => {
    expect([undefined, 0, 1, 1000, 2500].map(formatRetryAfter)).toEqual(["1", "1", "1", "1", "3"]);
  });
});
