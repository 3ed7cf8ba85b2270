import { describe, expect, it } from "vitest";
import { childTraceparent, isTraceparent, newTraceparent } from "./trace.js";

describe("trace context", () => {
  it("starts sampled traces with fresh ids", () => {
    const a = newTraceparent();
    expect(isTraceparent(a)).toBe(true);
    expect(a.endsWith("-01")).toBe(true);
    expect(newTraceparent()).not.toBe(a);
  });

  it("continues a trace with the same trace id and flags but a new span", () => {
    const parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
    const child = childTraceparent(parent);
    expect(child.slice(0, 36)).toBe(parent.slice(0, 36));
    expect(child.endsWith("-00")).toBe(true);
    expect(child).not.toBe(parent);
  });

  it("starts a new trace for a missing or malformed parent", () => {
    expect(isTraceparent(childTraceparent(undefined))).toBe(true);
    expect(isTraceparent(childTraceparent("garbage"))).toBe(true);
    expect(isTraceparent("00-xyz-abc-01")).toBe(false);
  });

  it("never repeats an id across refills of its random pool", () => {
    const traces = Array.from({ length: 1000 }, () => newTraceparent());
    const spans = traces.map((t) => childTraceparent(t));
    expect(new Set(traces.map((t) => t.slice(3, 35))).size).toBe(1000);
    expect(new Set([...traces, ...spans].map((t) => t.slice(36, 52))).size).toBe(2000);
    expect(traces.every(isTraceparent) && spans.every(isTraceparent)).toBe(true);
  });
});
