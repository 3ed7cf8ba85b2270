import { z } from "@vrsky/sdk";
import { jsonataExpression } from "./jsonata-expression.js";

/** A JSONata variable name, without the `$`. */
const BindingName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    "expected a JSONata variable name such as `taxRate` (letters, digits, _)",
  )
  .refine((name) => name !== "headers", "`headers` is reserved: `$headers` always holds the message headers");

/**
 * Config of the `json-transform` converter.
 * @example
 * ```ts
 * JsonTransformConfig.parse({ expression: '{ "id": order.id, "total": $sum(order.items.price) }' });
 * ```
 */
export const JsonTransformConfig = z.strictObject({
  expression: jsonataExpression()
    .describe(
      "JSONata expression evaluated against the JSON body; its result becomes the new body. " +
        "`$headers` holds the message headers. A result of nothing (no match) drops the message.",
    )
    .meta({
      examples: [
        '{ "orderId": order.id, "total": $sum(order.items.(price * quantity)) }',
        "customers[country = 'NL'].{ 'name': name, 'email': $lowercase(email) }",
      ],
    }),
  bindings: z
    .record(BindingName, z.json())
    .default({})
    .describe("Constant values the expression reads as `$name` variables (JSON values).")
    .meta({ examples: [{ taxRate: 0.21, currency: "EUR" }] }),
  split: z
    .boolean()
    .default(false)
    .describe(
      "When the result is an array, emit one message per element instead of one message holding the array. " +
        "An empty array then drops the message.",
    )
    .meta({ examples: [true] }),
});
/** Parsed config of the `json-transform` converter. */
export type JsonTransformConfig = z.infer<typeof JsonTransformConfig>;
