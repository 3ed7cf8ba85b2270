import { z } from "@vrsky/sdk";

const RESERVED_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

/** A dotted field path such as `customer.address.city`; numeric segments index arrays. */
export const FieldPath = z
  .string()
  .regex(/^[^.]+(\.[^.]+)*$/, "expected a dotted field path such as `customer.address.city`")
  .refine(
    (path) => path.split(".").every((segment) => !RESERVED_SEGMENTS.has(segment)),
    "`__proto__`, `constructor` and `prototype` are not accepted as path segments",
  );

/**
 * Config of the `field-map` converter. The operations run in this order, each on the result
 * of the one before: `extract`, `rename`, `defaults`, `drop`, `pick`.
 * @example
 * ```ts
 * FieldMapConfig.parse({ rename: { cust_id: "customerId" }, drop: ["internal"] });
 * ```
 */
export const FieldMapConfig = z
  .strictObject({
    extract: z
      .record(FieldPath, FieldPath)
      .default({})
      .describe(
        "1st. Copy a nested value to a new field: `{ target: source.path }`. A missing source leaves the target unset.",
      )
      .meta({ examples: [{ city: "customer.address.city" }] }),
    rename: z
      .record(FieldPath, FieldPath)
      .default({})
      .describe(
        "2nd. Move fields: `{ from: to }`. A missing field is skipped; an existing target is replaced.",
      )
      .meta({ examples: [{ cust_id: "customerId", "meta.ts": "createdAt" }] }),
    defaults: z
      .record(FieldPath, z.json())
      .default({})
      .describe("3rd. Set fields that are missing or null: `{ path: value }` (any JSON value).")
      .meta({ examples: [{ currency: "EUR", "flags.priority": false }] }),
    drop: z
      .array(FieldPath)
      .default([])
      .describe("4th. Remove these fields.")
      .meta({ examples: [["internal", "customer.password"]] }),
    pick: z
      .array(FieldPath)
      .min(1)
      .optional()
      .describe("5th. Keep only these fields (nested paths keep their nesting); missing ones are left out.")
      .meta({ examples: [["customerId", "total", "city"]] }),
  })
  .refine(
    (config) =>
      Object.keys(config.extract).length +
        Object.keys(config.rename).length +
        Object.keys(config.defaults).length +
        config.drop.length +
        (config.pick?.length ?? 0) >
      0,
    "configure at least one of `extract`, `rename`, `defaults`, `drop` or `pick`",
  );
/** Parsed config of the `field-map` converter. */
export type FieldMapConfig = z.infer<typeof FieldMapConfig>;
