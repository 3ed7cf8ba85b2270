import { defineFilter, FatalError, z } from "@vrsky/sdk";

/** The filter's config: one schema drives validation, the manifest, docs and prompts. */
export const Config = z.object({
  field: z.string().min(1).default("total").describe("The numeric JSON field to compare."),
  threshold: z.number().describe("Messages whose field is at least this go to the `high` route."),
});
/** The parsed config. */
export type Config = z.infer<typeof Config>;

/** The routes this filter can return; an integration maps each to sinks. */
export const routes = ["high", "low"] as const;

const JsonObject = z.record(z.string(), z.unknown());

/**
 * {{title}}: routes JSON messages to `high` or `low` by comparing one numeric field with a
 * threshold. Replace the body of `filter` with your own rule; keep it deterministic.
 */
export default defineFilter({
  name: "{{name}}",
  version: "0.1.0",
  description: "Routes JSON messages to high or low by comparing a numeric field with a threshold.",
  config: Config,
  routes,
  categories: ["routing"],
  examples: [{ title: "Orders of 100 or more are high", config: { field: "total", threshold: 100 } }],
  async filter(message, ctx) {
    const body = await message.json(JsonObject);
    const value = body[ctx.config.field];
    if (typeof value !== "number") {
      // Bad input: retrying cannot help, so the runtime dead-letters the message at once.
      throw new FatalError(`message ${message.id}: field "${ctx.config.field}" must be a number`);
    }
    return value >= ctx.config.threshold ? "high" : "low";
  },
});
