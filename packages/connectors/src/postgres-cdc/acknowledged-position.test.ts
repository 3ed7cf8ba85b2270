import { describe, expect, it } from "vitest";
import { AcknowledgedPosition } from "./acknowledged-position.js";
import { formatLsn, normalizeLsn, parseLsn, previousLsn } from "./lsn.js";

describe("AcknowledgedPosition", () => {
  it("confirms a transaction's end once all its changes were accepted", () => {
    const position = new AcknowledgedPosition("0/100");
    position.begin();
    expect(position.keepalive("0/300", true)).toBe("0/100");
    position.committed("0/2A0");
    expect(position.confirmed).toBe("0/2A0");
  });

  it("acknowledges a keepalive's position only after a second keepalive with nothing handled in between", () => {
    const position = new AcknowledgedPosition("0/100");
    expect(position.keepalive("0/500", false)).toBeUndefined();
    expect(position.keepalive("0/500", false)).toBe("0/500");
  });

  it("does not advance past a keepalive when a change was handled after it", () => {
    const position = new AcknowledgedPosition("0/100");
    position.keepalive("0/500", false);
    position.handling();
    position.handled();
    expect(position.keepalive("0/600", true)).toBe("0/100");
  });

  it("does not take a keepalive seen mid-transaction or while a change is being handled as a candidate", () => {
    const position = new AcknowledgedPosition("0/100");
    position.handling();
    expect(position.keepalive("0/500", false)).toBeUndefined();
    position.handled();
    position.begin();
    expect(position.keepalive("0/600", false)).toBeUndefined();
    expect(position.keepalive("0/700", true)).toBe("0/100");
  });
});

describe("WAL positions", () => {
  it("round-trips and normalises positions in Postgres's notation", () => {
    expect(normalizeLsn("00000000/016B3748")).toBe("0/16B3748");
    expect(formatLsn(parseLsn("16/b374d848"))).toBe("16/B374D848");
  });

  it("steps back one byte across the 32-bit boundary", () => {
    expect(previousLsn("1/0")).toBe("0/FFFFFFFF");
    expect(previousLsn("0/16B3748")).toBe("0/16B3747");
  });
});
