import type { ProducerConnector } from "@vrsky/sdk";
import { describe, expect, expectTypeOf, it } from "vitest";
import { defineIntegration } from "./define-integration.js";
import type { ResolvedIntegration } from "./resolve.js";
import type { IntegrationSpec, IntegrationSpecInput } from "./schema.js";

describe("defineIntegration", () => {
  it("returns the spec unchanged, typed as the schema's input", () => {
    const spec = { name: "x", source: { connector: "a" }, sinks: { b: { connector: "c" } } };
    expect(defineIntegration(spec)).toBe(spec);
    expectTypeOf(defineIntegration).parameter(0).toEqualTypeOf<IntegrationSpecInput>();
    // @ts-expect-error ordering is "none" or "source"
    defineIntegration({ ...spec, settings: { ordering: "fifo" } });
  });

  it("accepts units as written and yields them in base units once parsed", () => {
    expectTypeOf<NonNullable<NonNullable<IntegrationSpecInput["settings"]>["dedupWindow"]>>().toEqualTypeOf<
      string | number
    >();
    expectTypeOf<IntegrationSpec["settings"]["dedupWindow"]>().toEqualTypeOf<number>();
    expectTypeOf<ResolvedIntegration["sinks"][string]["connector"]>().toEqualTypeOf<ProducerConnector>();
  });
});
