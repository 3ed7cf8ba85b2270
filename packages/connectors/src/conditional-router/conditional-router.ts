import { ConfigError, type ConfigIssue, defineFilter, FatalError, type FilterDecision } from "@vrsky/sdk";
import {
  type CompiledExpression,
  compileExpression,
  evaluateExpression,
} from "../json-transform/jsonata-expression.js";
import { ConditionalRouterConfig, DROP, routeNames } from "./config.js";

/** A route with its condition compiled. */
interface CompiledRoute {
  name: string;
  index: number;
  when: CompiledExpression;
}

/**
 * `conditional-router`: sends each JSON message to the routes whose JSONata condition holds.
 *
 * Conditions are compiled once at start and tested in order against the JSON body (with
 * `$headers`). `mode: first` returns the first matching route, `mode: all` every matching one;
 * with no match the message goes to `default`, or is dropped when `default` is `drop`.
 * A condition that yields nothing counts as `false`; any other non-boolean result is an error.
 *
 * The routes a step can return depend on its config (see `routeNames`), so the definition
 * declares no static `routes`.
 *
 * @throws ConfigError at start when a `when` does not compile, naming `routes.<i>.when`
 * @throws FatalError for a body that is not JSON, a failing condition, or a non-boolean result
 * @example
 * ```yaml
 * - name: route-orders
 *   connector: conditional-router
 *   config: { "routes": [{ "name": "priority", "when": "order.express" }], "default": "standard" }
 * ```
 */
export const conditionalRouter = defineFilter<ConditionalRouterConfig, readonly CompiledRoute[]>({
  name: "conditional-router",
  version: "1.0.0",
  description:
    "Routes JSON messages by ordered JSONata conditions: first match or every match, with a default.",
  categories: ["routing", "filter", "json"],
  icon: "split",
  config: ConditionalRouterConfig,
  routesFromConfig: routeNames,
  examples: [
    {
      title: "Express orders to the priority route, the rest to standard",
      config: { routes: [{ name: "priority", when: "order.express = true" }], default: "standard" },
    },
    {
      title: "Fan out to every team that cares about an order; drop the rest",
      config: {
        mode: "all",
        routes: [
          { name: "finance", when: "order.total >= 10000" },
          { name: "eu-logistics", when: "order.shipTo.country in ['NL', 'BE', 'DE', 'FR']" },
          { name: "fraud", when: "$headers.`x-risk-score` and $number($headers.`x-risk-score`) > 80" },
        ],
      },
    },
  ],
  init(ctx) {
    const compiled: CompiledRoute[] = [];
    const problems: ConfigIssue[] = [];
    for (const [index, route] of ctx.config.routes.entries()) {
      try {
        compiled.push({
          name: route.name,
          index,
          when: compileExpression(route.when, `routes.${index}.when`),
        });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(...error.issues);
      }
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return compiled;
  },
  async filter(message, ctx): Promise<FilterDecision> {
    const input = await message.json({ signal: ctx.signal });
    const bindings = { headers: { ...message.headers } };
    const matched: string[] = [];
    for (const route of ctx.resources) {
      const where = `message ${message.id}: conditional-router routes.${route.index}.when ("${route.name}")`;
      const result = await evaluateExpression(route.when, input, bindings, where);
      if (result === undefined || result === false) continue;
      if (result !== true) {
        const got = result === null ? "null" : Array.isArray(result) ? "an array" : `a ${typeof result}`;
        throw new FatalError(
          `${where}: expected true or false, got ${got}; compare explicitly or wrap the condition in $boolean()`,
        );
      }
      if (ctx.config.mode === "first") return route.name;
      matched.push(route.name);
    }
    if (matched.length > 0) return matched;
    return ctx.config.default === DROP ? false : ctx.config.default;
  },
});
