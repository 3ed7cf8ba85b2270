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

describe("Placement on the way back", () => {
  it("keeps a dedicated tenant there until it is down to the shared threshold", () => {
    const placement = new Placement({ dedicatedThreshold: 50 });
    expect(placement.sharedThreshold).toBe(40);
    expect(placement.decide({ integrationCount: 45, current: "dedicated" })).toBe("dedicated");
    expect(placement.decide({ integrationCount: 45, current: "shared" })).toBe("shared");
    expect(placement.decide({ integrationCount: 40, current: "dedicated" })).toBe("shared");
  });

  it("takes an explicit shared threshold and refuses one above the dedicated threshold", () => {
    const placement = new Placement({ dedicatedThreshold: 2, sharedThreshold: 2 });
    expect(placement.decide({ integrationCount: 3, current: "dedicated" })).toBe("dedicated");
    expect(placement.decide({ integrationCount: 2, current: "dedicated" })).toBe("shared");
    expect(() => new Placement({ dedicatedThreshold: 5, sharedThreshold: 6 })).toThrow(
      "sharedThreshold must be an integer from 0 to dedicatedThreshold (5), got 6",
    );
  });
});
