import { defineConverter, FatalError, z } from "@vrsky/sdk";

/** The converter's config: one schema drives validation, the manifest, docs and prompts. */
export const Config = z.object({
  field: z.string().min(1).default("name").describe("The JSON field to change."),
  case: z.enum(["upper", "lower"]).default("upper").describe("Whether to upper- or lower-case it."),
});
/** The parsed config. */
export type Config = z.infer<typeof Config>;

const JsonObject = z.record(z.string(), z.unknown());

/**
 * {{title}}: changes the case of one text field of a JSON object. Replace the body of
 * `convert` with your own transformation; keep it deterministic (same input, same output).
 */
export default defineConverter({
  name: "{{name}}",
  version: "0.1.0",
  description: "Changes the case of one text field of a JSON message.",
  config: Config,
  categories: ["transform"],
  examples: [{ title: "Upper-case the customer name", config: { field: "customer", case: "upper" } }],
  async convert(message, ctx) {
    const body = await message.json(JsonObject);
    const value = body[ctx.config.field];
    if (typeof value !== "string") {
      // Bad input: retrying cannot help, so the runtime dead-letters the message at once.
      throw new FatalError(`message ${message.id}: field "${ctx.config.field}" must be a string`);
    }
    const changed = ctx.config.case === "upper" ? value.toUpperCase() : value.toLowerCase();
    return { json: { ...body, [ctx.config.field]: changed } };
  },
});
