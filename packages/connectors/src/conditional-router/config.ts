import { z } from "@vrsky/sdk";
import { jsonataExpression } from "../json-transform/jsonata-expression.js";

/** The `default` value that drops unmatched messages. */
export const DROP = "drop";

const RouteName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/i,
    "expected a route name such as `priority` or `eu-orders` (letters, digits, - and _)",
  );

/** One named route and the condition that sends a message to it. */
export const Route = z.strictObject({
  name: RouteName.refine((name) => name !== DROP, "`drop` is reserved for `default`").describe(
    "Route name, as used by the integration's routes.",
  ),
  when: jsonataExpression()
    .describe(
      "JSONata expression over the JSON body (and `$headers`) that must evaluate to `true` or `false`.",
    )
    .meta({ examples: ["order.total > 1000", "$headers.`x-region` = 'eu'"] }),
});
/** One parsed route. */
export type Route = z.infer<typeof Route>;

/**
 * Config of the `conditional-router` filter.
 * @example
 * ```ts
 * ConditionalRouterConfig.parse({ routes: [{ name: "big", when: "total > 1000" }], default: "normal" });
 * ```
 */
export const ConditionalRouterConfig = z
  .strictObject({
    routes: z
      .array(Route)
      .min(1)
      .describe("Routes in order; each message is tested against them top to bottom.")
      .meta({
        examples: [
          [
            { name: "priority", when: "order.express = true" },
            { name: "eu", when: "order.country in ['NL', 'DE', 'FR']" },
          ],
        ],
      }),
    mode: z
      .enum(["first", "all"])
      .default("first")
      .describe("`first`: send to the first matching route only. `all`: send to every matching route.")
      .meta({ examples: ["first", "all"] }),
    default: RouteName.default(DROP)
      .describe("Where messages that match no route go: a route name, or `drop` to discard them.")
      .meta({ examples: ["drop", "standard"] }),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.routes.forEach((route, index) => {
      const first = seen.get(route.name);
      if (first === undefined) seen.set(route.name, index);
      else {
        ctx.addIssue({
          code: "custom",
          path: ["routes", index, "name"],
          message: `route "${route.name}" is already defined at routes.${first}: names must be unique`,
        });
      }
    });
  });
/** Parsed config of the `conditional-router` filter. */
export type ConditionalRouterConfig = z.infer<typeof ConditionalRouterConfig>;

/**
 * Every route a configured router can return: the route names, then `default` unless it is `drop`.
 * @param config - a parsed config
 */
export function routeNames(config: ConditionalRouterConfig): string[] {
  const names = config.routes.map((route) => route.name);
  if (config.default !== DROP && !names.includes(config.default)) names.push(config.default);
  return names;
}
