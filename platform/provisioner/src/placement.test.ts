import { describe, expect, it } from "vitest";
import { Placement } from "./placement.js";

describe("Placement", () => {
  it("sends tenants over 50 integrations to a dedicated server by default", () => {
    const placement = new Placement();
    expect(placement.decide({ integrationCount: 50 })).toBe("shared");
    expect(placement.decide({ integrationCount: 51 })).toBe("dedicated");
  });

  it("takes a configurable threshold and rejects a negative one", () => {
    expect(new Placement({ dedicatedThreshold: 5 }).decide({ integrationCount: 6 })).toBe("dedicated");
    expect(() => new Placement({ dedicatedThreshold: -1 })).toThrow(RangeError);
  });
});
