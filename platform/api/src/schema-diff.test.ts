import { describe, expect, it } from "vitest";
import { diffConfigSchemas } from "./schema-diff.js";

const base = {
  type: "object",
  properties: {
    url: { type: "string" },
    mode: { type: "string", enum: ["a", "b"] },
    retries: { type: "integer" },
    auth: { type: "object", properties: { token: { type: "string" } } },
  },
  required: ["url"],
};

describe("diffConfigSchemas", () => {
  it("finds nothing when only optional properties and enum values are added", () => {
    const after = {
      ...base,
      properties: {
        ...base.properties,
        mode: { type: "string", enum: ["a", "b", "c"] },
        extra: { type: "boolean" },
      },
    };
    expect(diffConfigSchemas(base, after)).toEqual([]);
  });

  it("reports a removed nested property with its dotted path", () => {
    const after = { ...base, properties: { ...base.properties, auth: { type: "object", properties: {} } } };
    expect(diffConfigSchemas(base, after)).toEqual([
      expect.objectContaining({ kind: "removed-property", path: "auth.token" }),
    ]);
  });

  it("reports a property that became required", () => {
    expect(diffConfigSchemas(base, { ...base, required: ["url", "retries"] })).toEqual([
      expect.objectContaining({ kind: "newly-required", path: "retries" }),
    ]);
  });

  it("reports a changed type but accepts widening integer to number", () => {
    const widened = { ...base, properties: { ...base.properties, retries: { type: "number" } } };
    expect(diffConfigSchemas(base, widened)).toEqual([]);
    const changed = { ...base, properties: { ...base.properties, retries: { type: "string" } } };
    expect(diffConfigSchemas(base, changed)).toEqual([
      expect.objectContaining({ kind: "changed-type", path: "retries" }),
    ]);
  });

  it("reports a narrowed enum and an enum added to a free property", () => {
    const after = {
      ...base,
      properties: {
        ...base.properties,
        mode: { type: "string", enum: ["a"] },
        url: { type: "string", enum: ["x"] },
      },
    };
    expect(diffConfigSchemas(base, after)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "narrowed-enum",
          path: "mode",
          message: expect.stringContaining('"b"'),
        }),
        expect.objectContaining({ kind: "narrowed-enum", path: "url" }),
      ]),
    );
  });
});
