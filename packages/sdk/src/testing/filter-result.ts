import type { FilterDecision } from "../connector.js";
import { FatalError } from "../errors.js";

/** What a filter decided, normalised. */
export interface FilterResult {
  /** Whether the message goes on at all. */
  pass: boolean;
  /** The routes it goes to; empty when it passes to every route (`true`) or is dropped. */
  routes: string[];
}

/**
 * Normalises a filter's decision: `false` drops, `true` passes to every route, a name or a
 * list of names passes to those routes (an empty list drops).
 *
 * @param filter - the filter's name and declared routes (from `filterRoutes`), for checking
 * @param decision - what `filter` returned
 * @throws FatalError if the decision is not a boolean, a string or a list of strings, or names a
 *   route outside the declared routes when the filter declares them
 */
export function toFilterResult(
  filter: { name: string; routes: readonly string[] | undefined },
  decision: FilterDecision,
): FilterResult {
  if (typeof decision === "boolean") return { pass: decision, routes: [] };
  const names: readonly unknown[] = Array.isArray(decision) ? decision : [decision];
  if (
    !(typeof decision === "string" || Array.isArray(decision)) ||
    names.some((n) => typeof n !== "string")
  ) {
    throw new FatalError(
      `filter "${filter.name}" returned ${typeof decision === "object" ? JSON.stringify(decision) : typeof decision}: ` +
        "return true, false, a route name or a list of route names",
    );
  }
  const routes = [...new Set(names as string[])];
  const undeclared = filter.routes ? routes.filter((r) => !filter.routes?.includes(r)) : [];
  if (undeclared.length > 0) {
    throw new FatalError(
      `filter "${filter.name}" returned undeclared route${undeclared.length === 1 ? "" : "s"} ` +
        `${undeclared.map((r) => `"${r}"`).join(", ")}; it declares routes [${filter.routes?.map((r) => `"${r}"`).join(", ")}]: ` +
        "add the route to `routes` (or `routesFromConfig`) in defineFilter or return a declared one",
    );
  }
  return { pass: routes.length > 0, routes };
}
