import { defineFilter, FatalError, z } from "@vrsky/sdk";

export const AmountRouterConfig = z.object({
  field: z.string().min(1).default("amount").describe("Top-level field holding the amount."),
  threshold: z.number().describe("Amounts at or above it go to `large`, below it to `small`."),
});

export default defineFilter({
  name: "amount-router",
  version: "1.0.0",
  description: "Routes JSON messages to `large` or `small` by a numeric field, and drops those without it.",
  categories: ["routing"],
  config: AmountRouterConfig,
  routes: ["large", "small"],
  examples: [{ title: "Orders of 1000 or more are large", config: { threshold: 1000 } }],
  async filter(msg, ctx) {
    const body = await msg.json(z.record(z.string(), z.unknown()));
    const amount = body[ctx.config.field];
    if (amount === undefined) return false;
    if (typeof amount !== "number") {
      throw new FatalError(`field "${ctx.config.field}" is a ${typeof amount}, expected a number`);
    }
    return amount >= ctx.config.threshold ? "large" : "small";
  },
});
