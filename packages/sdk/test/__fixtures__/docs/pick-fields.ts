import { defineConverter, z } from "@vrsky/sdk";

export const PickFieldsConfig = z.object({
  fields: z.array(z.string().min(1)).min(1).describe("Top-level fields to keep, in output order."),
  rename: z.record(z.string(), z.string().min(1)).default({}).describe("New names for kept fields."),
});

const JsonObject = z.record(z.string(), z.unknown());

export default defineConverter({
  name: "pick-fields",
  version: "1.0.0",
  description: "Keeps only the listed fields of a JSON object body, optionally renaming them.",
  categories: ["transform", "json"],
  config: PickFieldsConfig,
  examples: [{ title: "Order summary", config: { fields: ["id", "total"], rename: { total: "amount" } } }],
  async convert(msg, ctx) {
    // A body that is not a JSON object fails here with a FatalError naming the problem.
    const input = await msg.json(JsonObject);
    const output: Record<string, unknown> = {};
    for (const field of ctx.config.fields) {
      if (field in input) output[ctx.config.rename[field] ?? field] = input[field];
    }
    return { json: output, headers: { "x-picked-fields": String(Object.keys(output).length) } };
  },
});
