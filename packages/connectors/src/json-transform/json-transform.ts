import { defineConverter, FatalError, JSON_CONTENT_TYPE, type Message, type MessageInit } from "@vrsky/sdk";
import { JsonTransformConfig } from "./config.js";
import { type CompiledExpression, compileExpression, evaluateExpression } from "./jsonata-expression.js";

/** What `json-transform` compiles once per step. */
interface JsonTransformResources {
  expression: CompiledExpression;
}

/**
 * Serialises one result value, refusing what JSON cannot carry (functions, cycles) with a
 * reason instead of letting an opaque serialiser error through.
 */
function jsonBody(value: unknown, where: string): MessageInit {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new FatalError(
      `${where}: the expression returned a value that is not JSON (a function or a cycle)`,
      {
        cause,
      },
    );
  }
  if (text === undefined) {
    throw new FatalError(`${where}: the expression returned a function, not a JSON value`);
  }
  return { body: text, contentType: JSON_CONTENT_TYPE };
}

/**
 * `json-transform`: reshapes a JSON body with a JSONata expression.
 *
 * The expression is compiled once when the step starts. Each message's body is parsed as JSON
 * and evaluated with the configured `bindings` and `$headers`; the result becomes the new body
 * (`application/json`), headers are kept. No result drops the message; with `split`, an array
 * result becomes one message per element, keyed `<id>:<index>`.
 *
 * @throws ConfigError at start when `expression` does not compile (with the JSONata position)
 * @throws FatalError for a body that is not JSON or an expression that fails on it
 * @example
 * ```yaml
 * - name: order-summary
 *   connector: json-transform
 *   config: { "expression": "{ \"id\": order.id, \"total\": $sum(order.items.price) }" }
 * ```
 */
export const jsonTransform = defineConverter<JsonTransformConfig, JsonTransformResources>({
  name: "json-transform",
  version: "1.0.0",
  description: "Reshapes JSON bodies with a JSONata expression: map, filter, compute and split.",
  categories: ["json", "transform"],
  icon: "braces",
  config: JsonTransformConfig,
  examples: [
    {
      title: "Summarise an order",
      config: { expression: '{ "orderId": order.id, "total": $sum(order.items.(price * quantity)) }' },
    },
    {
      title: "Split an order into one message per line item, with VAT",
      config: {
        expression: 'order.items.{ "sku": sku, "gross": $round(price * (1 + $vat), 2) }',
        bindings: { vat: 0.21 },
        split: true,
      },
    },
  ],
  init(ctx) {
    return { expression: compileExpression(ctx.config.expression, "expression") };
  },
  async convert(message: Message, ctx) {
    const input = await message.json({ signal: ctx.signal });
    const where = `message ${message.id}: json-transform expression`;
    const result = await evaluateExpression(
      ctx.resources.expression,
      input,
      { ...ctx.config.bindings, headers: { ...message.headers } },
      where,
    );
    if (result === undefined) return null;
    if (ctx.config.split && Array.isArray(result)) {
      return result.map((item: unknown, index) => ({
        ...jsonBody(item, `${where} (element ${index})`),
        key: `${message.id}:${index}`,
      }));
    }
    return jsonBody(result, where);
  },
});
