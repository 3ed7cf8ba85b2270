import { defineConverter, FatalError } from "@vrsky/sdk";
import { FieldMapConfig } from "./config.js";
import { deletePath, getPath, setPath } from "./field-path.js";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Applies the configured operations to one object, in the documented order.
 * @param input - the parsed JSON object; changed in place and returned
 * @param config - the step's config
 * @returns the reshaped object
 * @throws FatalError when a path runs into a scalar (from {@link setPath})
 */
export function mapFields(input: Record<string, unknown>, config: FieldMapConfig): Record<string, unknown> {
  let object = input;
  // Extracted values are copied, so a later operation on the copy cannot reach the original.
  const extracted = Object.entries(config.extract).map(
    ([target, source]) => [target, structuredClone(getPath(object, source))] as const,
  );
  for (const [target, value] of extracted) if (value !== undefined) setPath(object, target, value);
  for (const [from, to] of Object.entries(config.rename)) {
    const value = getPath(object, from);
    if (value === undefined) continue;
    deletePath(object, from);
    setPath(object, to, value);
  }
  for (const [path, value] of Object.entries(config.defaults)) {
    const current = getPath(object, path);
    if (current === undefined || current === null) setPath(object, path, structuredClone(value));
  }
  for (const path of config.drop) deletePath(object, path);
  if (config.pick) {
    const picked: Record<string, unknown> = {};
    for (const path of config.pick) {
      const value = getPath(object, path);
      if (value !== undefined) setPath(picked, path, value);
    }
    object = picked;
  }
  return object;
}

/**
 * `field-map`: renames, extracts, defaults, drops and picks fields of a JSON object body.
 *
 * The operations run in a fixed order, each on the result of the one before: `extract` (copy
 * nested values out), `rename`, `defaults` (fill missing or null fields), `drop`, `pick`. Paths
 * are dotted (`customer.address.city`); numeric segments index arrays. Headers are kept.
 *
 * @throws FatalError when the body is not a JSON object, or a path runs into a scalar
 * @example
 * ```yaml
 * - name: tidy-customer
 *   connector: field-map
 *   config: { "rename": { "cust_id": "customerId" }, "drop": ["internal"] }
 * ```
 */
export const fieldMap = defineConverter<FieldMapConfig>({
  name: "field-map",
  version: "1.0.0",
  description: "Renames, extracts, defaults, drops and picks fields of JSON object bodies by dotted path.",
  categories: ["filter", "json", "transform"],
  icon: "shuffle",
  config: FieldMapConfig,
  examples: [
    {
      title: "Rename legacy fields and remove internal ones",
      config: { rename: { cust_id: "customerId", ord_total: "total" }, drop: ["internal", "debug"] },
    },
    {
      title: "Flatten a webhook payload to the fields the CRM needs",
      config: {
        extract: { email: "data.customer.email", city: "data.customer.address.city" },
        defaults: { country: "NL" },
        pick: ["email", "city", "country"],
      },
    },
  ],
  async convert(message, ctx) {
    const body = await message.json({ signal: ctx.signal });
    if (!isPlainObject(body)) {
      const got = body === null ? "null" : Array.isArray(body) ? "an array" : `a ${typeof body}`;
      throw new FatalError(`message ${message.id}: field-map expects a JSON object body, got ${got}`);
    }
    try {
      return { json: mapFields(body, ctx.config) };
    } catch (error) {
      if (error instanceof FatalError) {
        throw new FatalError(`message ${message.id}: field-map ${error.message}`, { cause: error });
      }
      throw error;
    }
  },
});
